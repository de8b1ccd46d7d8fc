using Cluster.Shared.Configuration;
using Cluster.Supervisor.Cli;
using Cluster.Supervisor.FrontEnd;
using Cluster.Supervisor.Logging;
using Cluster.Supervisor.Workers;
using Cluster.Supervisor.Workers.Launching;
using Cluster.Supervisor.Workers.Readiness;
using Microsoft.Extensions.Logging;
using Serilog.Extensions.Logging;

namespace Cluster.Supervisor.Hosting;

/// <summary>`supervisor start` with a valid config: front end first, then the workers, until stopped.</summary>
internal static class SupervisorRunner
{
    public static async Task<int> RunAsync(SupervisorConfig config)
    {
        using var serilog = SupervisorLogging.Create(config.Log.Level);
        using var loggerFactory = new SerilogLoggerFactory(serilog);
        var logger = loggerFactory.CreateLogger("Cluster.Supervisor");
        var time = TimeProvider.System;

        using var probeClient = ReadinessProbes.CreateClient();
        var launcher = new ProcessWorkerLauncher(config.Worker, loggerFactory.CreateLogger("Cluster.Worker"), time);
        await using var frontEnd = new FrontEndServer(config, serilog);
        var loop = new ControlLoop(
            config,
            launcher,
            new LoopbackPortAllocator(),
            ReadinessProbes.For(config.Worker.Readiness, time, probeClient),
            frontEnd,
            time,
            logger);
        using var signals = new SignalForwarding(loop);

        try
        {
            await frontEnd.StartAsync();
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            HostLog.CannotListen(logger, config.Listen.Url, e.Message);
            return ExitCodes.Failure;
        }

        try
        {
            await loop.RunAsync();
        }
        catch (Exception e)
        {
            var killed = launcher.KillAll();
            HostLog.LoopFailed(logger, killed, e);
            return ExitCodes.Failure;
        }

        HostLog.Stopped(logger);
        return ExitCodes.Ok;
    }
}
