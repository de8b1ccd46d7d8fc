using System.Net.WebSockets;

/// <summary>
/// GET /ws: a WebSocket that echoes every message back. When the worker is told to stop (SIGTERM), it closes each one
/// with 1001 (going away), as a well-behaved app does, and waits a little for the client's close in return; the lines
/// it prints let a test follow both ends.
/// </summary>
internal static class WebSocketEcho
{
    private static readonly TimeSpan ClientCloseWait = TimeSpan.FromSeconds(5);

    public static void MapWebSocketEcho(this WebApplication app, int id)
    {
        app.UseWebSockets();
        app.Map("/ws", async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            Console.WriteLine($"test worker {id}: websocket open");
            using var sending = new SemaphoreSlim(1, 1);
            using var goingAway = app.Lifetime.ApplicationStopping.Register(() => _ = GoAwayAsync(socket, sending, id));
            var buffer = new byte[4096];
            try
            {
                while (true)
                {
                    var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
                    if (received.MessageType == WebSocketMessageType.Close)
                    {
                        break;
                    }

                    await sending.WaitAsync();
                    try
                    {
                        if (socket.State == WebSocketState.Open)
                        {
                            await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, CancellationToken.None);
                        }
                    }
                    finally
                    {
                        sending.Release();
                    }
                }

                if (socket.State == WebSocketState.CloseReceived)
                {
                    // The client closed first: answer its close.
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                }

                Console.WriteLine($"test worker {id}: websocket closed ({socket.State})");
            }
            catch (WebSocketException e)
            {
                Console.WriteLine($"test worker {id}: websocket broken: {e.Message}");
            }
        });
    }

    /// <summary>The worker is stopping: close frame 1001 now; a client that never answers it is cut off after a while.</summary>
    private static async Task GoAwayAsync(WebSocket socket, SemaphoreSlim sending, int id)
    {
        try
        {
            await sending.WaitAsync();
            try
            {
                if (socket.State != WebSocketState.Open)
                {
                    return;
                }

                await socket.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, "worker stopping", CancellationToken.None);
                Console.WriteLine($"test worker {id}: websocket close sent (1001)");
            }
            finally
            {
                sending.Release();
            }

            await Task.Delay(ClientCloseWait);
            if (socket.State != WebSocketState.Closed)
            {
                socket.Abort();
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException)
        {
            // The socket ended meanwhile.
        }
    }
}
