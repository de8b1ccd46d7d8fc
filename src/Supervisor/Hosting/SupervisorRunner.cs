using Cluster.Shared.Configuration;
using Cluster.Supervisor.Cli;
using Cluster.Supervisor.Control;
using Cluster.Supervisor.FrontEnd;
using Cluster.Supervisor.FrontEnd.Tls;
using Cluster.Supervisor.Hosting.PidFiles;
using Cluster.Supervisor.Hosting.Systemd;
using Cluster.Supervisor.Logging;
using Cluster.Supervisor.Metrics;
using Cluster.Supervisor.Processes;
using Cluster.Supervisor.SharedSocket;
using Cluster.Supervisor.Workers;
using Cluster.Supervisor.Workers.Launching;
using Cluster.Supervisor.Workers.Notify;
using Cluster.Supervisor.Workers.Probes;
using Microsoft.Extensions.Logging;
using Serilog.Extensions.Logging;

namespace Cluster.Supervisor.Hosting;

/// <summary>
/// `supervisor start` with a valid config: check for a running or dead predecessor, then the control socket, the
/// front end, and the workers, until stopped.
/// </summary>
internal static class SupervisorRunner
{
    public static async Task<int> RunAsync(SupervisorConfig config, ConfigOverrides overrides)
    {
        var startedAt = DateTimeOffset.UtcNow;
        using var logging = new SupervisorLogging(config.Log);
        using var loggerFactory = new SerilogLoggerFactory(logging.Logger);
        var logger = loggerFactory.CreateLogger("Cluster.Supervisor");
        var time = TimeProvider.System;
        if (logging.ConfirmFiles(logger) is { } logProblem)
        {
            await Console.Error.WriteLineAsync($"supervisor: {logProblem}");
            return ExitCodes.BadConfigOrUsage;
        }

        // Taken out of the environment before any worker starts, so that no worker talks to systemd as the service.
        using var systemd = new SystemdNotifier(SystemdEnvironment.TakeFromProcess(), logger);
        InheritedSocketActivation.Discard();

        // Before anything reads or writes a run-time file: their folders must be ones no other user can change.
        if (RunTimeFolders.Prepare(config, ConfigEnvironment.Current.RuntimeDirectory) is { } folderProblem)
        {
            HostLog.UnsafeFolder(logger, folderProblem);
            return ExitCodes.Failure;
        }

        if (await PreviousInstance.CheckAsync(config.PidFile, config.Worker.StopTimeout, (int)config.Worker.StopSignal, logger) is int running)
        {
            HostLog.AlreadyRunning(logger, running, config.ConfigFile, config.PidFile);
            return ExitCodes.BadConfigOrUsage;
        }

        switch (await ControlSocket.ProbeAsync(config.Control.Socket))
        {
            case ControlSocketState.Live:
                HostLog.SocketInUse(logger, config.Control.Socket);
                return ExitCodes.BadConfigOrUsage;
            case ControlSocketState.NotASocket:
                HostLog.NotASocket(logger, config.Control.Socket);
                return ExitCodes.Failure;
            case ControlSocketState.Stale:
                ControlLog.StaleRemoved(logger, config.Control.Socket);
                File.Delete(config.Control.Socket);
                break;
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

        using var tls = LoadCertificates(config, time, loggerFactory, logger);
        if (config.Tls is not null && tls is null)
        {
            pidFile.Delete();
            return ExitCodes.BadConfigOrUsage;
        }

        using var idleCollection = new IdleMemoryTrim(time);
        using var probeClient = ProbeClient.Create(config.Worker.Protocol);
        using var spawnThread = new SpawnThread();
        await using var frontEnd = FrontEndFactory.Create(config, logging.Logger, loggerFactory, time, tls);
        var sharedSocket = frontEnd as SharedSocketFrontEnd;
        var launcher = new ProcessWorkerLauncher(logging.WorkerOutput, time, spawnThread, sharedSocket is null ? null : () => sharedSocket.Listener);
        var loop = new ControlLoop(config, new LoopServices(
            launcher,
            new LoopbackPortAllocator(),
            new ReadinessProbe(time, probeClient, config.Worker.Protocol, sharedSocket is null ? null : () => sharedSocket.Listener.Inode),
            new HttpHealthProbe(time, probeClient, config.Worker.Protocol),
            new ProcProcessMemory(),
            frontEnd,
            pidFile,
            new FileConfigSource(config.ConfigFile, overrides),
            logging,
            time,
            Random.Shared.NextDouble,
            logger)
        {
            Notifier = systemd,
            NotifySockets = new NotifySockets(config.Control.NotifyFolder),
        });
        if (frontEnd is ProxyFrontEnd proxy)
        {
            proxy.Unreachable = (worker, reason) => loop.Post(new Cluster.Supervisor.Workers.Events.WorkerUnreachable(worker, reason));
        }

        using var signals = new SignalForwarding(loop);
        var counters = (frontEnd as ProxyFrontEnd)?.Counters;
        var status = new StatusCollector(loop, frontEnd, counters, time, startedAt, sharedSocket is null ? null : new ConnectionCounter(() => sharedSocket.Listener.Port), tls);
        using var metrics = new SupervisorMetrics(counters, logging.Buffers, tls);
        using var exporter = new PrometheusExporter(metrics.Meter, metrics.Histograms);
        var metricsEndpoint = new MetricsEndpoint(status, metrics, exporter);
        await using var control = new ControlServer(config, loop, status, metricsEndpoint, logging);
        await using var metricsServer = config.Metrics.Listen is { } metricsListen ? new MetricsServer(metricsListen, metricsEndpoint, logging.Logger) : null;

        try
        {
            await control.StartAsync();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            HostLog.CannotOpenSocket(logger, config.Control.Socket, e.Message);
            pidFile.Delete();
            return ExitCodes.Failure;
        }

        try
        {
            if (metricsServer is not null)
            {
                await metricsServer.StartAsync();
            }
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            MetricsLog.CannotListen(logger, config.Metrics.Listen!.Url, e.Message);
            pidFile.Delete();
            return ExitCodes.Failure;
        }

        try
        {
            await frontEnd.StartAsync();
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            HostLog.CannotListen(logger, config.ListenDescription, e.Message);
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

        // The workers are gone, and with them the far end of every connection the front end still relayed.
        await frontEnd.CloseAsync();
        pidFile.Delete();
        HostLog.Stopped(logger);
        return ExitCodes.Ok;
    }

    /// <summary>The certificates of the https:// listeners, or null (logged) when one no longer loads since the config check.</summary>
    private static TlsCertificateStore? LoadCertificates(SupervisorConfig config, TimeProvider time, SerilogLoggerFactory loggerFactory, ILogger logger)
    {
        if (config.Tls is not { } tls)
        {
            return null;
        }

        try
        {
            return TlsCertificateStore.Load(tls, time, loggerFactory.CreateLogger("Cluster.Supervisor.FrontEnd.Tls"));
        }
        catch (CertificateLoadException e)
        {
            HostLog.CannotLoadCertificate(logger, e.Message);
            return null;
        }
    }
}
