using Cluster.Shared.Configuration;
using Cluster.Supervisor.Cli;
using Cluster.Supervisor.FrontEnd;
using Cluster.Supervisor.Hosting.PidFiles;
using Cluster.Supervisor.Logging;
using Cluster.Supervisor.Processes;
using Cluster.Supervisor.Workers;
using Cluster.Supervisor.Workers.Launching;
using Cluster.Supervisor.Workers.Readiness;
using Microsoft.Extensions.Logging;
using Serilog.Extensions.Logging;

namespace Cluster.Supervisor.Hosting;

/// <summary>`supervisor start` with a valid config: leftovers first, then the front end, then the workers, until stopped.</summary>
internal static class SupervisorRunner
{
    public static async Task<int> RunAsync(SupervisorConfig config)
    {
        using var serilog = SupervisorLogging.Create(config.Log.Level);
        using var loggerFactory = new SerilogLoggerFactory(serilog);
        var logger = loggerFactory.CreateLogger("Cluster.Supervisor");
        var time = TimeProvider.System;

        if (await PreviousInstance.CheckAsync(config.PidFile, config.Worker.StopTimeout, logger) is int running)
        {
            HostLog.AlreadyRunning(logger, running, config.ConfigFile, config.PidFile);
            return ExitCodes.BadConfigOrUsage;
        }

        var pidFile = new PidFile(config.PidFile, config.ConfigFile);
        try
        {
            pidFile.Create();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            HostLog.CannotWritePidFile(logger, config.PidFile, e.Message);
            return ExitCodes.BadConfigOrUsage;
        }

        using var probeClient = ReadinessProbes.CreateClient();
        using var spawnThread = new SpawnThread();
        var launcher = new ProcessWorkerLauncher(config.Worker, loggerFactory.CreateLogger("Cluster.Worker"), time, spawnThread);
        await using var frontEnd = new FrontEndServer(config, serilog);
        var loop = new ControlLoop(config, new LoopServices(
            launcher,
            new LoopbackPortAllocator(),
            ReadinessProbes.For(config.Worker.Readiness, time, probeClient),
            ReadinessProbes.HealthFor(config.Health, time, probeClient),
            new ProcProcessMemory(),
            frontEnd,
            pidFile,
            time,
            Random.Shared.NextDouble,
            logger));
        using var signals = new SignalForwarding(loop);

        try
        {
            await frontEnd.StartAsync();
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            HostLog.CannotListen(logger, config.Listen.Url, e.Message);
            pidFile.Delete();
            return ExitCodes.Failure;
        }

        try
        {
            await loop.RunAsync();
        }
        catch (Exception e)
        {
            // The pid file stays: the next start will find and stop anything that survives this.
            var killed = launcher.KillAll();
            HostLog.LoopFailed(logger, killed, e);
            return ExitCodes.Failure;
        }

        pidFile.Delete();
        HostLog.Stopped(logger);
        return ExitCodes.Ok;
    }
}
