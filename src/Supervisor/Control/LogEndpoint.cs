using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using Cluster.Supervisor.Logging;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.Control;

/// <summary>
/// GET /v1/logs?lines=N&amp;follow=1&amp;worker=ID&amp;output=0: the last N lines of the in-memory ring (default 100),
/// of one slot or all, with or without the workers' output; with follow=1 every new line after them, as a chunked
/// stream of JSON lines (<see cref="LogWire"/>), until the client leaves, the supervisor stops, or the client falls
/// too far behind. Nothing here ever makes the logging thread wait: the ring only offers lines to a bounded queue.
/// </summary>
internal sealed class LogEndpoint(LogRing ring, ILogger logger)
{
    public const int DefaultLines = 100;

    /// <summary>How long a dropped or ended follower's last note may take to go out before its connection is closed.</summary>
    internal static readonly TimeSpan EndGrace = TimeSpan.FromSeconds(5);

    /// <summary>Lines are written as they come, but flushed at least every this many bytes (the socket's pace).</summary>
    private const int FlushEvery = 32 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        if (Parse(context.Request.Query) is not { } request)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsJsonAsync(
                new OperationAnswer(false, "expected lines=N (0 or more), follow=0|1, worker=ID, app=NAME, output=0|1", []),
                ControlJson.Default.OperationAnswer,
                contentType: null,
                context.RequestAborted);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = LogWire.ContentType;
        context.Response.Headers.CacheControl = "no-store";
        var sender = new Sender(context.Response.BodyWriter, context.RequestAborted);
        if (!request.Follow)
        {
            foreach (var line in ring.Recent(request.Lines, request.Filter))
            {
                if (!await sender.SendAsync(line, flushNow: false))
                {
                    return;
                }
            }

            return;
        }

        // A follower's stream is the connection's last answer: it ends when the stream does.
        context.Response.Headers.Connection = "close";
        using var follower = ring.Follow(request.Lines, request.Filter);
        await FollowAsync(context, follower, sender);
    }

    private async Task FollowAsync(HttpContext context, LogFollower follower, Sender sender)
    {
        // A follower is dropped while its flush waits on a socket nobody reads: ending that wait lets the handler
        // send its note (or give up on the connection) instead of waiting forever.
        using var dropped = new FlushCanceller(context.Response.BodyWriter);
        _ = follower.WhenDropped.ContinueWith(_ => dropped.Cancel(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        bool sentAll;
        try
        {
            sentAll = await SendAllAsync(follower, sender);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        dropped.Disarm();
        if (follower.DroppedBehind is int behind)
        {
            ControlLog.FollowerDropped(logger, behind);
            await EndAsync(context, LogWire.End("dropped", $"dropped: fell {behind} lines behind; reconnect with supervisor logs -f"));
        }
        else if (sentAll && follower.Ended)
        {
            await EndAsync(context, LogWire.End("stopped", "the supervisor stopped"));
        }
    }

    /// <summary>The backlog, then every new line until the queue ends; false when the stream must stop early.</summary>
    private static async Task<bool> SendAllAsync(LogFollower follower, Sender sender)
    {
        foreach (var line in follower.Backlog)
        {
            if (follower.DroppedBehind is not null || !await sender.SendAsync(line, flushNow: false))
            {
                return false;
            }
        }

        if (!await sender.FlushAsync())
        {
            return false;
        }

        await foreach (var line in follower.Lines.ReadAllAsync(sender.Aborted))
        {
            if (follower.DroppedBehind is not null || !await sender.SendAsync(line, flushNow: !follower.Lines.TryPeek(out _)))
            {
                return false;
            }
        }

        return await sender.FlushAsync();
    }

    /// <summary>The last line of a follower's stream; a client that does not take it within the grace is cut off.</summary>
    private static async Task EndAsync(HttpContext context, byte[] note)
    {
        var body = context.Response.BodyWriter;
        body.Write(note);
        var flush = body.FlushAsync(context.RequestAborted).AsTask();
        if (await Task.WhenAny(flush, Task.Delay(EndGrace, CancellationToken.None)) != flush)
        {
            context.Abort();
        }

        try
        {
            await flush;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The connection was closed: nothing left to send.
        }
    }

    private static LogRequest? Parse(IQueryCollection query)
    {
        var lines = DefaultLines;
        if (query.TryGetValue("lines", out var text) && !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out lines))
        {
            return null;
        }

        int? worker = null;
        if (query.TryGetValue("worker", out var id))
        {
            if (!int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var workerId))
            {
                return null;
            }

            worker = workerId;
        }

        if (Flag(query, "follow", false) is not bool follow || Flag(query, "output", true) is not bool output)
        {
            return null;
        }

        var app = query.TryGetValue("app", out var name) && !string.IsNullOrEmpty(name) ? name.ToString() : null;
        return new LogRequest(lines, follow, new LogLineFilter(worker, LifecycleOnly: !output, App: app));
    }

    private static bool? Flag(IQueryCollection query, string name, bool absent) =>
        !query.TryGetValue(name, out var value) ? absent
        : value.ToString() switch
        {
            "1" or "true" => true,
            "0" or "false" => false,
            _ => null,
        };

    private sealed record LogRequest(int Lines, bool Follow, LogLineFilter Filter);

    /// <summary>Writes lines to the response, flushing at the socket's pace; false once the stream cannot go on.</summary>
    private sealed class Sender(PipeWriter body, CancellationToken aborted)
    {
        private int _unflushed;

        public CancellationToken Aborted => aborted;

        public async ValueTask<bool> SendAsync(byte[] line, bool flushNow)
        {
            body.Write(line);
            _unflushed += line.Length;
            return (!flushNow && _unflushed < FlushEvery) || await FlushAsync();
        }

        /// <summary>False when the client has gone or the flush was cancelled (the follower was dropped).</summary>
        public async ValueTask<bool> FlushAsync()
        {
            _unflushed = 0;
            var result = await body.FlushAsync(aborted);
            return !result.IsCompleted && !result.IsCanceled;
        }
    }

    /// <summary>Cancels the response's pending flush, unless the handler has moved past the point where that helps.</summary>
    private sealed class FlushCanceller(PipeWriter body) : IDisposable
    {
        private readonly Lock _lock = new();
        private bool _armed = true;

        public void Cancel()
        {
            lock (_lock)
            {
                if (_armed)
                {
                    body.CancelPendingFlush();
                }
            }
        }

        public void Disarm()
        {
            lock (_lock)
            {
                _armed = false;
            }
        }

        public void Dispose() => Disarm();
    }
}
