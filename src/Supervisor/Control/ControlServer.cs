using Cluster.Shared.Configuration;
using Cluster.Supervisor.FrontEnd;
using Cluster.Supervisor.Metrics;
using Cluster.Supervisor.Workers;
using Cluster.Supervisor.Workers.Events;
using Cluster.Supervisor.Workers.Operations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.Control;

/// <summary>
/// The control channel: HTTP with JSON bodies on a Unix domain socket (mode 0600, never a TCP port), for the CLI's
/// status, reload, scale and stop, and GET /metrics (Prometheus text). Its own small Kestrel, so it keeps answering
/// while the front end drains. Connections from other users are refused by their kernel-reported UID.
/// </summary>
internal sealed class ControlServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _path;
    private readonly ILogger _logger;

    public ControlServer(SupervisorConfig config, ControlLoop loop, StatusCollector status, MetricsEndpoint metrics, Serilog.ILogger serilog)
    {
        _path = config.Control.Socket;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "supervisor-control", EnvironmentName = Environments.Production });
        Serilog.SerilogLoggingBuilderExtensions.AddSerilog(builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Trace), serilog);
        builder.Services.AddSingleton<IHostLifetime, ControlLoopLifetime>();
        builder.Services.AddRoutingCore();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.ListenUnixSocket(_path, listen => listen.Use(next => async connection =>
            {
                var uid = connection.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket ? PeerCredentials.PeerUid(socket) : null;
                if (!PeerCredentials.IsAllowed(uid))
                {
                    ControlLog.Refused(_logger!, uid?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown", PeerCredentials.OwnUid);
                    connection.Abort();
                    return;
                }

                await next(connection);
            }));
        });

        _app = builder.Build();
        _logger = _app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Cluster.Supervisor.Control");
        Map(_app, loop, status, config);
        _app.MapMethods(MetricsConfig.Path, [HttpMethods.Get, HttpMethods.Head], metrics.InvokeAsync);
    }

    /// <summary>Binds the socket (the caller has checked that no live supervisor owns the path) and makes it 0600.</summary>
    public async Task StartAsync()
    {
        var folder = Path.GetDirectoryName(_path)!;
        if (!Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        await _app.StartAsync();
        // Kestrel creates the socket with the process umask; only the owner may connect. The UID check above stands
        // even for the moment before this.
        File.SetUnixFileMode(_path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        ControlLog.Listening(_logger, _path);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        File.Delete(_path);
    }

    private void Map(WebApplication app, ControlLoop loop, StatusCollector status, SupervisorConfig config)
    {
        app.MapGet("/v1/status", async (CancellationToken cancellationToken) => Results.Json(await status.CollectAsync(cancellationToken), ControlJson.Default.StatusReport));

        app.MapPost("/v1/reload", async () =>
        {
            ControlLog.Command(_logger, "reload");
            var reply = new TaskCompletionSource<OperationResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            loop.Post(new ReloadRequested(reply));
            return Answer(await reply.Task);
        });

        app.MapPost("/v1/scale", async (HttpRequest request) =>
        {
            var body = await request.ReadFromJsonAsync(ControlJson.Default.ScaleRequestBody);
            if (body?.Workers is null || !ScaleTarget.TryParse(body.Workers, out var target))
            {
                return Answer(OperationResult.Failure($"expected {{\"workers\": \"N\"}}, \"+K\" or \"-K\" with N from 1 to {WorkerCount.Max}") with { InvalidConfig = true });
            }

            ControlLog.Command(_logger, $"scale {target}");
            var reply = new TaskCompletionSource<OperationResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            loop.Post(new ScaleRequested(target!, reply));
            return Answer(await reply.Task);
        });

        app.MapPost("/v1/stop", () =>
        {
            ControlLog.Command(_logger, "stop");
            loop.Post(new StopRequested("supervisor stop"));
            // What the CLI should wait at most: the drain, the workers' stop timeout, SIGKILL's bounded wait, a margin.
            var expected = config.ShutdownTimeout + config.Worker.StopTimeout + ControlLoop.KillWait + TimeSpan.FromSeconds(10);
            return Results.Json(new StopAnswer(true, Environment.ProcessId, (int)expected.TotalSeconds), ControlJson.Default.StopAnswer, statusCode: StatusCodes.Status202Accepted);
        });
    }

    private static IResult Answer(OperationResult result) =>
        Results.Json(
            new OperationAnswer(result.Ok, result.Message, result.Details),
            ControlJson.Default.OperationAnswer,
            statusCode: result.Ok ? StatusCodes.Status200OK : result.InvalidConfig ? StatusCodes.Status422UnprocessableEntity : StatusCodes.Status409Conflict);
}
