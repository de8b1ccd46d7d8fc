using Cluster.Shared.Configuration;
using Cluster.Supervisor.Cli;
using Cluster.Supervisor.Control;
using Cluster.Supervisor.FrontEnd;
using Cluster.Supervisor.FrontEnd.Tls;
using Cluster.Supervisor.Hosting.Listening;
using Cluster.Supervisor.Hosting.PidFiles;
using Cluster.Supervisor.Hosting.Systemd;
using Cluster.Supervisor.Logging;
using Cluster.Supervisor.Metrics;
using Cluster.Supervisor.Processes;
using Cluster.Supervisor.Upgrade;
using Cluster.Supervisor.Workers;
using Cluster.Supervisor.Workers.Launching;
using Cluster.Supervisor.Workers.Notify;
using Cluster.Supervisor.Workers.Events;
using Cluster.Supervisor.Workers.Probes;
using Microsoft.Extensions.Logging;
using Serilog.Extensions.Logging;

namespace Cluster.Supervisor.Hosting;

/// <summary>
/// `supervisor start` with a valid config: check for a running or dead predecessor, then the listening sockets, the
/// control socket, the front end, and the workers, until stopped. A supervisor started by an upgrade (see
/// <see cref="HandOver"/>) takes its sockets from the supervisor it replaces, and that supervisor's files once it has
/// taken over.
/// </summary>
internal static class SupervisorRunner
{
    public static async Task<int> RunAsync(SupervisorConfig config, ConfigOverrides overrides)
    {
        var startedAt = DateTimeOffset.UtcNow;
        // Read before anything else runs: what to run again for an upgrade (the files at this path may change later).
        var command = SupervisorCommand.Current();
        using var logging = new SupervisorLogging(config.Log);
        using var loggerFactory = new SerilogLoggerFactory(logging.Logger);
        var logger = loggerFactory.CreateLogger("Cluster.Supervisor");
        var time = TimeProvider.System;
        if (logging.ConfirmFiles(logger) is { } logProblem)
        {
            await Console.Error.WriteLineAsync($"supervisor: {logProblem}");
            return ExitCodes.BadConfigOrUsage;
        }

        // Taken out of the environment before any worker starts, so that no worker talks to systemd as the service,
        // nor takes the supervisor's sockets for its own.
        var systemdEnvironment = SystemdEnvironment.TakeFromProcess();
        using var systemd = new SystemdNotifier(systemdEnvironment, logger);
        var fromSystemd = InheritedSockets.TakeFromSystemd();
        var (handOver, handOverIgnored) = HandOverEnvironment.TakeFromProcess();
        if (handOverIgnored is not null)
        {
            UpgradeLog.HandOverIgnored(logger, handOverIgnored);
        }

        var inherited = handOver is null ? fromSystemd : InheritedSockets.FromPredecessor(handOver.Sockets.Select(s => (s.Descriptor, (string?)s.Name)));

        // Before anything reads or writes a run-time file: their folders must be ones no other user can change.
        if (RunTimeFolders.Prepare(config, ConfigEnvironment.Current.RuntimeDirectory) is { } folderProblem)
        {
            HostLog.UnsafeFolder(logger, folderProblem);
            return ExitCodes.Failure;
        }

        // In an upgrade the pid file and the control socket are the predecessor's until it hands them over.
        if (await PreviousInstance.CheckAsync(config.PidFile, config.LongestStopTimeout, config.Apps, logger) is int running && running != handOver?.Predecessor.Pid)
        {
            HostLog.AlreadyRunning(logger, running, config.ConfigFile, config.PidFile);
            return ExitCodes.BadConfigOrUsage;
        }

        var controlPath = handOver is null ? config.Control.Socket : Path.Combine(config.Control.NotifyFolder, SuccessorFiles.ControlSocketName(Environment.ProcessId));
        switch (await ControlSocket.ProbeAsync(controlPath))
        {
            case ControlSocketState.Live:
                HostLog.SocketInUse(logger, controlPath);
                return ExitCodes.BadConfigOrUsage;
            case ControlSocketState.NotASocket:
                HostLog.NotASocket(logger, controlPath);
                return ExitCodes.Failure;
            case ControlSocketState.Stale:
                ControlLog.StaleRemoved(logger, controlPath);
                File.Delete(controlPath);
                break;
        }

        var pidFile = new PidFile(config.PidFile, config.ConfigFile, owned: handOver is null);
        try
        {
            pidFile.Create();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            HostLog.CannotWritePidFile(logger, config.PidFile, e.Message);
            return ExitCodes.BadConfigOrUsage;
        }

        var opened = ListenSockets.Open(config, inherited);
        foreach (var unused in opened.Unused)
        {
            UpgradeLog.SocketUnused(logger, unused);
        }

        if (opened.Sockets is not { } sockets)
        {
            pidFile.Delete();
            if (opened.BindFailure is { } failure)
            {
                if (failure.Entry.Key == ListenEntry.MetricsKey)
                {
                    MetricsLog.CannotListen(logger, failure.Entry.Address.Url, failure.Error);
                }
                else
                {
                    HostLog.CannotListen(logger, failure.Entry.Address.Url, failure.Error);
                }

                return ExitCodes.Failure;
            }

            HostLog.SocketsMismatch(logger, inherited.Origin == SocketOrigin.Systemd ? "systemd" : "the previous supervisor", string.Join("; ", opened.Mismatches));
            return ExitCodes.BadConfigOrUsage;
        }

        using var listening = sockets;
        using var tls = LoadCertificates(config, time, loggerFactory, logger);
        if (config.Tls is not null && tls is null)
        {
            pidFile.Delete();
            return ExitCodes.BadConfigOrUsage;
        }

        using var predecessor = handOver is null ? null : new PredecessorLink(handOver);
        using var idleCollection = new IdleMemoryTrim(time);
        using var probeClients = new ProbeClients();
        using var spawnThread = new SpawnThread();
        var counters = new FrontEndCounters();
        // The front ends report an unreachable worker to the loop, which is made after them (it is given them).
        ControlLoop? loop = null;
        await using var frontEnd = FrontEndFactory.Create(config, sockets, logging.Logger, loggerFactory, time, tls, counters, (worker, reason) => loop?.Post(new WorkerUnreachable(worker, reason)));
        var launcher = new ProcessWorkerLauncher(logging.WorkerOutput, time, spawnThread);
        var lineage = new SupervisorLineage(handOver?.Predecessor.Pid, handOver?.Predecessor.Version, (handOver?.Predecessor.Upgrades + 1) ?? 0, sockets.Origin);
        MetricsServer? metricsServer = null;
        var loopServices = new LoopServices(
            launcher,
            new LoopbackPortAllocator(),
            new ReadinessProbe(time, probeClients),
            new HttpHealthProbe(time, probeClients),
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
            Predecessor = predecessor,
            Upgrader = new SuccessorLauncher(
                command,
                sockets,
                spawnThread,
                systemdEnvironment,
                new PredecessorRecord(Environment.ProcessId, ProcStat.Read(Environment.ProcessId)?.StartTime ?? 0, SupervisorVersion.Current, lineage.Upgrades),
                config.Control.NotifyFolder,
                time,
                logger),
            // With handed-over sockets, accepting waits for the workers: see ListenSockets.Inherited.
            Serving = sockets.Inherited
                ? new ServingStart(() => StartAcceptingAsync(frontEnd, metricsServer), predecessor, e => loop!.Post(e), logger)
                : NoServingStart.Instance,
        };
        loop = new ControlLoop(config, loopServices);
        using var signals = new SignalForwarding(loop);
        // Request counters only where requests pass through the supervisor: some app is behind a proxy.
        var proxied = config.FrontEnd == FrontEndMode.Proxy || config.Apps.Any(a => a.HasOwnListeners && a.FrontEnd == FrontEndMode.Proxy) ? counters : null;
        var status = new StatusCollector(loop, frontEnd, proxied, time, startedAt, tls) { Lineage = lineage };
        using var metrics = new SupervisorMetrics(proxied, logging.Buffers, tls);
        using var exporter = new PrometheusExporter(metrics.Meter, metrics.Histograms);
        var metricsEndpoint = new MetricsEndpoint(status, metrics, exporter);
        metricsServer = config.Metrics.Listen is { } metricsListen ? new MetricsServer(metricsListen, sockets, metricsEndpoint, logging.Logger) : null;
        await using var metricsServerScope = metricsServer;
        ControlServer control;
        try
        {
            control = new ControlServer(config, loop, status, metricsEndpoint, logging, controlPath);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            HostLog.CannotOpenSocket(logger, controlPath, e.Message);
            pidFile.Delete();
            return ExitCodes.Failure;
        }

        await using var controlScope = control;
        try
        {
            await control.StartAsync();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            HostLog.CannotOpenSocket(logger, controlPath, e.Message);
            pidFile.Delete();
            return ExitCodes.Failure;
        }

        if (predecessor is not null)
        {
            predecessor.ControlServer = control;
            predecessor.Listen(loop.Post);
        }

        if (!sockets.Inherited)
        {
            try
            {
                await StartAcceptingAsync(frontEnd, metricsServer);
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
            {
                HostLog.CannotListen(logger, config.ListenDescription, e.Message);
                pidFile.Delete();
                return ExitCodes.Failure;
            }
        }
        else
        {
            HostLog.SocketsInherited(logger, sockets.Describe());
        }

        LoopEnd end;
        try
        {
            end = await loop.RunAsync();
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
        return end == LoopEnd.TakeOverFailed ? ExitCodes.Failure : ExitCodes.Ok;
    }

    /// <summary>The front end (and the health endpoint's own port), then the metrics port, accept from now on.</summary>
    private static async Task StartAcceptingAsync(FrontEndSet frontEnd, MetricsServer? metricsServer)
    {
        if (metricsServer is not null)
        {
            await metricsServer.StartAsync();
        }

        await frontEnd.StartAsync();
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
