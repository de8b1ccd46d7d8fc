// A worker that can fail on demand, for the supervisor's functional tests. Behaviour comes from the environment:
//   TEST_FAIL_AT_BOOT=CODE        exit with CODE before listening
//   TEST_READY_DELAY_MS=N         GET /ready answers 503 for the first N ms, then 200; requests served before that are
//                                 flagged "beforeReady": true in their answer (tests assert none are)
//   TEST_IGNORE_SIGTERM=1         ignore SIGTERM (only SIGKILL stops it)
//   TEST_CRASH_AFTER_MS=N         exit with code 70 N ms after start
// Endpoints: GET / (id, pid, beforeReady), GET /ready, GET /headers (request headers), GET /slow?ms=N.
using System.Globalization;
using System.Runtime.InteropServices;

var started = DateTime.UtcNow;
var env = Environment.GetEnvironmentVariables();
int Setting(string name) => int.TryParse(env[name] as string, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0;

var failAtBoot = Setting("TEST_FAIL_AT_BOOT");
if (failAtBoot != 0)
{
    Console.Error.WriteLine($"test worker: failing at boot with exit code {failAtBoot}");
    return failAtBoot;
}

var port = Setting("PORT");
var id = Setting("WORKER_ID");
var readyDelay = TimeSpan.FromMilliseconds(Setting("TEST_READY_DELAY_MS"));
bool IsReady() => DateTime.UtcNow - started >= readyDelay;

using var ignoreTerm = Setting("TEST_IGNORE_SIGTERM") == 1
    ? PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
    {
        context.Cancel = true;
        Console.WriteLine("test worker: ignoring SIGTERM");
    })
    : null;

var crashAfter = Setting("TEST_CRASH_AFTER_MS");
if (crashAfter > 0)
{
    _ = Task.Delay(crashAfter).ContinueWith(_ =>
    {
        Console.Error.WriteLine("test worker: crashing on purpose");
        Environment.Exit(70);
    }, TaskScheduler.Default);
}

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
if (ignoreTerm is not null)
{
    // The host's console lifetime would stop the app on SIGTERM by itself.
    builder.Services.AddSingleton<IHostLifetime, DeafLifetime>();
}
var app = builder.Build();

app.MapGet("/", () => Results.Json(new Dictionary<string, object>
{
    ["id"] = id,
    ["pid"] = Environment.ProcessId,
    ["beforeReady"] = !IsReady(),
}));
app.MapGet("/ready", () => IsReady() ? Results.Ok() : Results.StatusCode(503));
app.MapGet("/headers", (HttpRequest request) => Results.Json(request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString())));
app.MapGet("/slow", async (int ms) =>
{
    await Task.Delay(ms);
    return Results.Json(new Dictionary<string, object> { ["id"] = id, ["pid"] = Environment.ProcessId, ["slept"] = ms });
});

Console.WriteLine($"test worker {id} listening on 127.0.0.1:{port} (pid {Environment.ProcessId})");
await app.RunAsync();
return 0;

/// <summary>A host lifetime that does not react to signals.</summary>
internal sealed class DeafLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
