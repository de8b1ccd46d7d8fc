using Cluster.Worker.Errors;

namespace Cluster.Worker.Debugging;

/// <summary>
/// Endpoints that exist only so tests can observe behaviour that has no natural trigger; mapped only when
/// WORKER_ENABLE_TEST_ENDPOINTS=1, never in a normal run.
/// <list type="bullet">
/// <item><c>GET /debug/slow?ms=N</c>: answers after N ms (0..60000), to have a request in flight during shutdown.</item>
/// <item><c>GET /debug/hold?file=PATH</c>: answers once PATH exists (at most 60 s), to have a request in flight for as
/// long as a test needs, whatever the machine's speed.</item>
/// <item><c>GET /debug/throw</c>: throws, to exercise the central error handler.</item>
/// </list>
/// </summary>
internal static class TestEndpoints
{
    private const int MaxDelayMilliseconds = 60_000;

    public static void MapTestEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/debug/slow", async (int ms, ILoggerFactory loggers, CancellationToken cancellationToken) =>
        {
            if (ms is < 0 or > MaxDelayMilliseconds)
            {
                return ErrorResults.Json(StatusCodes.Status400BadRequest, $"ms must be from 0 to {MaxDelayMilliseconds}.");
            }

            loggers.CreateLogger(typeof(TestEndpoints)).SlowRequestStarted(ms);
            await Task.Delay(ms, cancellationToken);
            return Results.Text($"slept {ms} ms\n");
        });

        app.MapGet("/debug/hold", async (string file, ILoggerFactory loggers, CancellationToken cancellationToken) =>
        {
            loggers.CreateLogger(typeof(TestEndpoints)).HeldRequestStarted(file);
            var held = System.Diagnostics.Stopwatch.StartNew();
            while (!File.Exists(file))
            {
                if (held.ElapsedMilliseconds > MaxDelayMilliseconds)
                {
                    return ErrorResults.Json(StatusCodes.Status504GatewayTimeout, $"{file} did not appear within {MaxDelayMilliseconds} ms.");
                }

                await Task.Delay(20, cancellationToken);
            }

            return Results.Text($"held {held.ElapsedMilliseconds} ms\n");
        });

        app.MapGet("/debug/throw", string () => throw new InvalidOperationException("Failure requested through /debug/throw."));
    }
}
