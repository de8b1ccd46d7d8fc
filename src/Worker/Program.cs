using System.Net;
using Cluster.Worker.Debugging;
using Cluster.Worker.Errors;
using Cluster.Worker.Hosting;
using Cluster.Worker.Status;
using Cluster.Worker.Users;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting.Systemd;

if (!WorkerSettings.TryRead(Environment.GetEnvironmentVariable, out var settings, out var settingsError))
{
    await Console.Error.WriteLineAsync($"worker: {settingsError}");
    return ExitCodes.BootError;
}

var users = new UserRepository(settings.DatabasePath, TimeProvider.System);
// Opening the database (native library, file, schema) takes a fair share of start-up time; it overlaps with building
// the web host, and the worker listens only once it is done.
var databaseReady = Task.Run(() =>
{
    SQLitePCL.Batteries_V2.Init();
    return users.Initialize();
});

var inheritedSockets = InheritedSocket.Count(Environment.GetEnvironmentVariable, Environment.ProcessId);
var builder = WebApplication.CreateSlimBuilder(args);
builder.AddWorkerConsole(settings.WorkerId);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    // PORT on loopback, and the sockets handed over by socket activation, are the only addresses: endpoints from
    // configuration (Kestrel__Endpoints__* inherited from the supervisor's environment, say) could expose every worker
    // on 0.0.0.0 or make N workers fight over one port.
    kestrel.Configure(new ConfigurationBuilder().Build(), reloadOnChange: false);
    kestrel.AddServerHeader = false;
    kestrel.Limits.MaxRequestBodySize = 1_048_576;
    // Still listening on PORT with a shared socket: the supervisor's readiness and health checks must reach this
    // process, not whichever worker the kernel picks.
    kestrel.Listen(IPAddress.Loopback, settings.Port);
    if (inheritedSockets > 0)
    {
        kestrel.UseSystemd();
    }
});
// With readiness.notify the supervisor gives NOTIFY_SOCKET, and this lifetime sends READY=1 once Kestrel listens
// (STOPPING=1 when it stops). Registered by hand: UseSystemd() only turns it on when the parent process is systemd.
if (SystemdNotifierIsWanted())
{
    builder.Services.AddSingleton<ISystemdNotifier, SystemdNotifier>();
    builder.Services.AddSingleton<IHostLifetime, SystemdLifetime>();
}

builder.Services.AddSingleton(settings);
builder.Services.AddSingleton(users);
builder.Services.AddExceptionHandler<JsonExceptionHandler>();
// UseExceptionHandler() refuses to start without a fallback; JsonExceptionHandler answers every exception itself.
builder.Services.AddProblemDetails();

await using var app = builder.Build();
var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Cluster.Worker");
if (settings.PortDefaulted)
{
    logger.PortDefaulted(settings.Port);
}

try
{
    var journalMode = await databaseReady;
    if (!journalMode.Equals("wal", StringComparison.OrdinalIgnoreCase))
    {
        logger.NotWal(settings.DatabasePath, journalMode);
    }
}
catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
{
    logger.DatabaseUnusable(e, settings.WorkerId, settings.DatabasePath);
    return ExitCodes.BootError;
}

app.UseExceptionHandler();
app.UseStatusCodePages(JsonStatusCodePages.WriteAsync);
app.UseRouting();
app.MapStatus(settings);
app.MapUsers();
if (settings.TestEndpointsEnabled)
{
    app.MapTestEndpoints();
}

app.Lifetime.LogStopEvents(logger, settings);
using var supervisorWatch = SupervisorWatch.Start(settings, app.Lifetime, logger);
try
{
    await app.StartAsync();
}
catch (IOException e)
{
    // Typically the port is taken; the supervisor hands out a new port on the next start, so a restart can help.
    logger.CannotListen(settings.WorkerId, settings.Port, e.Message);
    return ExitCodes.Failure;
}

logger.Listening(settings.WorkerId, settings.Port, Environment.ProcessId);
if (inheritedSockets > 0)
{
    logger.AcceptingInherited(settings.WorkerId, inheritedSockets, Environment.ProcessId);
}

await app.WaitForShutdownAsync();
return ExitCodes.Success;

static bool SystemdNotifierIsWanted() => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Cluster.Contract.SocketActivation.NotifySocket));
