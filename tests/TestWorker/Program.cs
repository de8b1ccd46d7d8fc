// A worker that can fail on demand, for the supervisor's functional tests. Behaviour comes from the environment:
//   TEST_ONLY_ID=N                apply the failure modes below only in the worker with WORKER_ID N (others behave)
//   TEST_FAIL_AT_BOOT=CODE        exit with CODE before listening
//   TEST_LISTEN_DELAY_MS=N        start slowly: listen only after N ms
//   TEST_READY_DELAY_MS=N         GET /ready answers 503 for the first N ms, then 200; requests served before that are
//                                 flagged "beforeReady": true in their answer (tests assert none are)
//   TEST_READY_WHEN_FILE=PATH     GET /ready answers 503 until PATH exists (ready when the test says so)
//   TEST_IGNORE_SIGTERM=1         ignore SIGTERM (only SIGKILL stops it)
//   TEST_CRASH_AFTER_READY_MS=N   exit with code 70 N ms after it first answered GET /ready with 200 (ready, then dead,
//                                 however long the start took)
//   TEST_CRASH_AFTER_REQUESTS=N   exit with code 70 once N requests have been answered
//   TEST_GROW_MB_PER_S=N          allocate (and touch) N MB of memory every second
//   TEST_NO_NOTIFY=1              never send READY=1, though NOTIFY_SOCKET is set (readiness.notify never passes)
//   TEST_WATCHDOG_MS=N            declare WATCHDOG_USEC=N ms on the notify socket and send WATCHDOG=1 every N/4 ms...
//   TEST_WATCHDOG_STOP_AFTER_MS=N ...until N ms after its first ping (then it is alive but silent: a hung worker)
//   TEST_ECHO=TEXT                GET / answers it as "echo" (to tell one config generation from another)
//   TEST_SIGNAL_FILE=PATH         append "ID PID SIGNAL" to PATH for every SIGTERM, SIGINT or SIGQUIT it gets (then
//                                 stop, as usual): which signal a stop sent
//   TEST_START_CHILD=1            start `sleep 3600` as a child process (GET / answers its PID as "child"): what a stop
//                                 does to a worker's own children
//   TEST_PEAK_IN_FLIGHT_FILE=PATH count the GET /slow and GET /hold requests in flight at once (the requests a front end
//                                 queues; the supervisor's own probes go to /ready and /healthz), and write the highest
//                                 count seen to PATH.ID (PATH.0 for worker 0) each time it rises: worker.maxConcurrency
//                                 as the worker sees it. A request leaves the count as its answer starts, before the
//                                 front end can have it and send the next one
//   TEST_MAX_IN_FLIGHT=N          with TEST_PEAK_IN_FLIGHT_FILE: a request that finds more than N in flight is answered
//                                 500 {"error":"over TEST_MAX_IN_FLIGHT"} at once (the worker fails the test)
// With LISTEN_FDS/LISTEN_PID (frontEnd sharedSocket) it also accepts on the inherited socket, fd 3; with NOTIFY_SOCKET
// (readiness.notify) it sends READY=1 once listening, and STATUS= lines.
// Endpoints: GET / (id, pid, app: APP_NAME, beforeReady), GET /ready, GET /healthz, GET /headers,
// GET /slow?ms=N (logs that it arrived, then sleeps), POST /slow?ms=N (reads the body, logs it, then sleeps),
// GET /hold?file=PATH (logs that it arrived, then answers once PATH exists: a request in flight for as long as the test
// needs), POST /hang (from then on the worker stays alive but never answers a request again, nor stops on SIGTERM:
// a hung worker),
// POST /echo-size (the body's length),
// GET /print?lines=N&text=T (prints N lines "test worker ID: T i" on stdout, for the supervisor's log),
// GET /.well-known/acme-challenge/TOKEN (what certbot's webroot would serve: the token and this worker's id),
// GET /ws (a WebSocket echo, closed with 1001 when the worker stops: WebSocketEcho.cs).
// A request the client gave up on (the front end's shutdown timeout, a health check's) ends its wait at once.
using System.Globalization;
using System.Runtime.InteropServices;

var started = DateTime.UtcNow;
var env = Environment.GetEnvironmentVariables();
int Setting(string name) => int.TryParse(env[name] as string, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0;

var port = Setting("PORT");
var id = Setting("WORKER_ID");
var misbehave = env["TEST_ONLY_ID"] is not string only || only == id.ToString(CultureInfo.InvariantCulture);
int Failure(string name) => misbehave ? Setting(name) : 0;

var failAtBoot = Failure("TEST_FAIL_AT_BOOT");
if (failAtBoot != 0)
{
    Console.Error.WriteLine($"test worker {id}: failing at boot with exit code {failAtBoot}");
    return failAtBoot;
}

var readyDelay = TimeSpan.FromMilliseconds(Failure("TEST_READY_DELAY_MS"));
var readyFile = misbehave ? env["TEST_READY_WHEN_FILE"] as string : null;
bool IsReady() => DateTime.UtcNow - started >= readyDelay && (readyFile is null || File.Exists(readyFile));
var hung = 0;
var crashAfterRequests = Failure("TEST_CRASH_AFTER_REQUESTS");
var answered = 0;

using var ignoreTerm = Failure("TEST_IGNORE_SIGTERM") == 1
    ? PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
    {
        context.Cancel = true;
        Console.WriteLine($"test worker {id}: ignoring SIGTERM");
    })
    : null;

// Not under TEST_ONLY_ID: these record, they do not fail. Registered after TEST_IGNORE_SIGTERM's handler, so its
// cancellation still holds for SIGTERM.
var signalFile = env["TEST_SIGNAL_FILE"] as string;
var recorders = new List<PosixSignalRegistration>();
PosixSignal[] recorded = signalFile is null ? [] : [PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGQUIT];
foreach (var signal in recorded)
{
    recorders.Add(PosixSignalRegistration.Create(signal, _ => File.AppendAllText(signalFile!, $"{id} {Environment.ProcessId} {signal}\n")));
}

using var child = env["TEST_START_CHILD"] as string == "1"
    ? System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sleep", "3600") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true })
    : null;

var growth = new List<byte[]>();
var growMb = Failure("TEST_GROW_MB_PER_S");
using var grower = growMb > 0
    ? new Timer(_ =>
    {
        var block = new byte[growMb * 1024 * 1024];
        // Touch every page, so the memory is resident, not just reserved.
        for (var i = 0; i < block.Length; i += 4096)
        {
            block[i] = 1;
        }

        lock (growth)
        {
            growth.Add(block);
        }
    }, null, TimeSpan.Zero, TimeSpan.FromSeconds(1))
    : null;

var listenDelay = Failure("TEST_LISTEN_DELAY_MS");
if (listenDelay > 0)
{
    await Task.Delay(listenDelay);
}

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
var inherited = env["LISTEN_PID"] as string == Environment.ProcessId.ToString(CultureInfo.InvariantCulture) && env["LISTEN_FDS"] is string;
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.Listen(System.Net.IPAddress.Loopback, port);
    if (inherited)
    {
        kestrel.UseSystemd();
    }
});
if (ignoreTerm is not null)
{
    // The host's console lifetime would stop the app on SIGTERM by itself.
    builder.Services.AddSingleton<IHostLifetime, DeafLifetime>();
}

var app = builder.Build();
app.Use(async (context, next) =>
{
    if (Volatile.Read(ref hung) == 1)
    {
        await Task.Delay(Timeout.Infinite, context.RequestAborted);
    }

    await next(context);
    if (crashAfterRequests > 0 && Interlocked.Increment(ref answered) >= crashAfterRequests)
    {
        await context.Response.CompleteAsync();
        // CompleteAsync hands the answer to Kestrel's socket sender, which writes it a moment later; exiting at once
        // could cut it off mid-body (the client then sees a reset, not the answer it was given).
        await Task.Delay(200);
        Crash($"after {crashAfterRequests} requests");
    }
});
var peakFile = env["TEST_PEAK_IN_FLIGHT_FILE"] is string peakPath ? $"{peakPath}.{id}" : null;
var maxInFlight = Setting("TEST_MAX_IN_FLIGHT");
var counted = 0;
var peak = 0;
var peakLock = new Lock();
app.Use(async (context, next) =>
{
    if (peakFile is null || !(context.Request.Path.StartsWithSegments("/slow") || context.Request.Path.StartsWithSegments("/hold")))
    {
        await next(context);
        return;
    }

    var now = Interlocked.Increment(ref counted);
    var left = 0;
    void Leave()
    {
        if (Interlocked.Exchange(ref left, 1) == 0)
        {
            Interlocked.Decrement(ref counted);
        }
    }

    // As the answer starts, not after it was sent: the front end may send the next request the moment it has this one.
    context.Response.OnStarting(() =>
    {
        Leave();
        return Task.CompletedTask;
    });
    try
    {
        lock (peakLock)
        {
            if (now > peak)
            {
                peak = now;
                File.WriteAllText(peakFile, peak.ToString(CultureInfo.InvariantCulture));
            }
        }

        if (maxInFlight > 0 && now > maxInFlight)
        {
            Console.WriteLine($"test worker {id}: {now} requests in flight at once, above TEST_MAX_IN_FLIGHT {maxInFlight}");
            context.Response.StatusCode = 500;
            await context.Response.WriteAsJsonAsync(new Dictionary<string, object> { ["error"] = "over TEST_MAX_IN_FLIGHT", ["inFlight"] = now, ["id"] = id });
            return;
        }

        await next(context);
    }
    finally
    {
        Leave();
    }
});
app.MapGet("/", () => Results.Json(new Dictionary<string, object>
{
    ["id"] = id,
    ["pid"] = Environment.ProcessId,
    ["app"] = env["APP_NAME"] as string ?? string.Empty,
    ["beforeReady"] = !IsReady(),
    ["echo"] = env["TEST_ECHO"] as string ?? string.Empty,
    ["child"] = child?.Id ?? 0,
}));
var crashAfterReady = Failure("TEST_CRASH_AFTER_READY_MS");
var crashArmed = 0;
app.MapGet("/ready", () =>
{
    if (!IsReady())
    {
        return Results.StatusCode(503);
    }

    if (crashAfterReady > 0 && Interlocked.Exchange(ref crashArmed, 1) == 0)
    {
        _ = Task.Delay(crashAfterReady).ContinueWith(_ => Crash("after its time"), TaskScheduler.Default);
    }

    return Results.Ok();
});
app.MapGet("/healthz", () => Results.Ok());
app.MapWebSocketEcho(id);
app.MapGet("/.well-known/acme-challenge/{token}", (string token) => $"{token}.worker{id}");
app.MapGet("/headers", (HttpRequest request) => Results.Json(request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString())));
app.MapGet("/slow", async (int ms, CancellationToken aborted) =>
{
    Console.WriteLine($"test worker {id}: GET /slow received");
    await Task.Delay(ms, aborted);
    return Results.Json(new Dictionary<string, object> { ["id"] = id, ["pid"] = Environment.ProcessId, ["slept"] = ms });
});
app.MapPost("/slow", async (HttpRequest request, int ms, CancellationToken aborted) =>
{
    // Counts every POST that reached a worker, so a test can tell whether the front end retried one.
    var received = await new StreamReader(request.Body).ReadToEndAsync(aborted);
    Console.WriteLine($"test worker {id}: POST /slow received {received.Length} bytes");
    await Task.Delay(ms, aborted);
    return Results.Json(new Dictionary<string, object> { ["id"] = id, ["pid"] = Environment.ProcessId, ["slept"] = ms, ["received"] = received.Length });
});
app.MapGet("/hold", async (string file, CancellationToken aborted) =>
{
    // Timed from before the line a test waits for: whatever the test does once it has seen the line (a stop, then the
    // file) happens inside heldMs, even when this thread is not scheduled again until the file exists.
    var held = System.Diagnostics.Stopwatch.StartNew();
    Console.WriteLine($"test worker {id}: GET /hold received");
    // Bounded, as everything a test starts: a test that never creates the file gets a 504 after 5 minutes.
    while (!File.Exists(file))
    {
        if (held.Elapsed > TimeSpan.FromMinutes(5))
        {
            return Results.StatusCode(504);
        }

        await Task.Delay(20, aborted);
    }

    return Results.Json(new Dictionary<string, object> { ["id"] = id, ["pid"] = Environment.ProcessId, ["heldMs"] = held.ElapsedMilliseconds });
});
app.MapPost("/hang", () =>
{
    Console.WriteLine($"test worker {id}: hanging from now on");
    Volatile.Write(ref hung, 1);
    return Results.Json(new Dictionary<string, object> { ["id"] = id, ["hung"] = true });
});
app.MapGet("/print", (int lines, string text) =>
{
    var output = new System.Text.StringBuilder();
    for (var i = 1; i <= lines; i++)
    {
        output.Append(CultureInfo.InvariantCulture, $"test worker {id}: {text} {i}\n");
    }

    Console.Out.Write(output.ToString());
    Console.Out.Flush();
    return Results.Json(new Dictionary<string, object> { ["id"] = id, ["printed"] = lines });
});
app.MapPost("/echo-size", async (HttpRequest request) =>
{
    var received = await new StreamReader(request.Body).ReadToEndAsync();
    return Results.Json(new Dictionary<string, object> { ["id"] = id, ["received"] = received.Length });
});

// A hung worker does not stop gracefully either: only SIGKILL ends it.
app.Lifetime.ApplicationStopping.Register(() =>
{
    if (Volatile.Read(ref hung) == 1)
    {
        Console.WriteLine($"test worker {id}: hung, so not stopping");
        Thread.Sleep(Timeout.Infinite);
    }
});
await app.StartAsync();
Console.WriteLine($"test worker {id} listening on 127.0.0.1:{port}{(inherited ? " and on the inherited socket (fd 3)" : string.Empty)} (pid {Environment.ProcessId})");
using var notifier = env["NOTIFY_SOCKET"] is string notifySocket ? new Notifier(notifySocket) : null;
if (notifier is not null && Failure("TEST_NO_NOTIFY") != 1)
{
    notifier.Send($"READY=1\nSTATUS=test worker {id} serving");
}

var watchdogMs = Failure("TEST_WATCHDOG_MS");
var watchdogStopAfter = TimeSpan.FromMilliseconds(Failure("TEST_WATCHDOG_STOP_AFTER_MS"));
var firstPing = DateTime.UtcNow;
using var watchdog = notifier is not null && watchdogMs > 0
    ? new Timer(
        _ =>
        {
            if (watchdogStopAfter == TimeSpan.Zero || DateTime.UtcNow - firstPing < watchdogStopAfter)
            {
                notifier.Send($"WATCHDOG=1\nWATCHDOG_USEC={watchdogMs * 1000L}");
            }
        },
        null,
        TimeSpan.Zero,
        TimeSpan.FromMilliseconds(Math.Max(1, watchdogMs / 4)))
    : null;

await app.WaitForShutdownAsync();
foreach (var recorder in recorders)
{
    recorder.Dispose();
}

return 0;

void Crash(string why)
{
    Console.Error.WriteLine($"test worker {id}: crashing on purpose {why}");
    Environment.Exit(70);
}

/// <summary>A host lifetime that does not react to signals.</summary>
internal sealed class DeafLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>sd_notify(3) by hand: one datagram per message to NOTIFY_SOCKET.</summary>
internal sealed class Notifier(string path) : IDisposable
{
    private readonly System.Net.Sockets.Socket _socket = new(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Unspecified);

    public void Send(string message) =>
        _socket.SendTo(System.Text.Encoding.UTF8.GetBytes(message), new System.Net.Sockets.UnixDomainSocketEndPoint(path));

    public void Dispose() => _socket.Dispose();
}
