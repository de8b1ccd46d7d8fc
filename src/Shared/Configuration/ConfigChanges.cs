using Cluster.Shared.Configuration.Parsing;

namespace Cluster.Shared.Configuration;

/// <summary>
/// What differs between a running config and a newly loaded one, and what each difference requires. Values are
/// printed as supervisor.json spells them (<see cref="ConfigSpelling"/>).
/// </summary>
public sealed record ConfigChanges(
    IReadOnlyList<string> Applied,
    IReadOnlyList<string> NeedRestart,
    bool WorkerCountChanged,
    bool WorkerProgramChanged)
{
    public bool Any => Applied.Count > 0 || NeedRestart.Count > 0;

    public static ConfigChanges Between(SupervisorConfig running, SupervisorConfig loaded)
    {
        var applied = new List<string>();
        var needRestart = new List<string>();

        var countChanged = running.Workers.Count != loaded.Workers.Count;
        Note(applied, countChanged, $"workers {running.Workers} -> {loaded.Workers}");

        var programChanged =
            running.Worker.Command != loaded.Worker.Command ||
            !running.Worker.Args.SequenceEqual(loaded.Worker.Args) ||
            !SameEnvironment(running.Worker.Env, loaded.Worker.Env) ||
            running.Worker.WorkingDirectory != loaded.Worker.WorkingDirectory;
        Note(applied, programChanged, "worker command, args, env or cwd (rolling reload)");
        Note(applied, running.Worker.Readiness != loaded.Worker.Readiness, "worker.readiness");
        Note(applied, running.Worker.CpuAffinity != loaded.Worker.CpuAffinity, $"worker.cpuAffinity {Spell(running.Worker.CpuAffinity)} -> {Spell(loaded.Worker.CpuAffinity)} (for workers started from now on)");
        Note(applied, running.Worker.StopTimeout != loaded.Worker.StopTimeout || running.Worker.DrainTimeout != loaded.Worker.DrainTimeout, "worker.stopTimeout/drainTimeout");
        Note(applied, running.ShutdownTimeout != loaded.ShutdownTimeout, "shutdownTimeout");
        Note(applied, !SameRestart(running.Restart, loaded.Restart), "restart");
        Note(applied, running.Health != loaded.Health, "health");
        Note(applied, running.Recycle != loaded.Recycle, "recycle");
        Note(applied, running.Reload != loaded.Reload, "reload");
        Note(applied, running.Log.Level != loaded.Log.Level, $"log.level {Spell(running.Log.Level)} -> {Spell(loaded.Log.Level)}");
        NoteProxy(applied, running.Proxy, loaded.Proxy);
        Note(applied, running.Tls is not null && loaded.Tls is not null && !running.Tls.SameFiles(loaded.Tls), "tls (the certificates' files)");

        Note(needRestart, !running.Listeners.SequenceEqual(loaded.Listeners), $"listen {running.ListenDescription} -> {loaded.ListenDescription}");
        Note(needRestart, running.FrontEnd != loaded.FrontEnd, $"frontEnd {Spell(running.FrontEnd)} -> {Spell(loaded.FrontEnd)}");
        Note(needRestart, (running.Tls is null) != (loaded.Tls is null), "tls (added or removed, with the https:// listeners)");
        Note(needRestart, running.RedirectHttpToHttps != loaded.RedirectHttpToHttps, "redirectHttpToHttps");
        Note(needRestart, running.Hsts != loaded.Hsts, "hsts");
        Note(needRestart, running.Worker.Protocol != loaded.Worker.Protocol, $"worker.protocol {Spell(running.Worker.Protocol)} -> {Spell(loaded.Worker.Protocol)}");
        Note(needRestart, running.PidFile != loaded.PidFile, $"pidFile {running.PidFile} -> {loaded.PidFile}");
        Note(needRestart, running.Control != loaded.Control, $"control.socket {running.Control.Socket} -> {loaded.Control.Socket}");
        Note(needRestart, running.Limits != loaded.Limits, "limits");
        Note(needRestart, running.RateLimit != loaded.RateLimit, "rateLimit");
        Note(needRestart, running.AccessLog != loaded.AccessLog, "accessLog");
        Note(needRestart, running.LoadBalancerHealth != loaded.LoadBalancerHealth, "loadBalancerHealth");
        Note(needRestart, running.Log.File != loaded.Log.File || running.Log.WorkerFiles != loaded.Log.WorkerFiles, "log.file/log.workerFiles");
        Note(needRestart, running.Log.MemoryLines != loaded.Log.MemoryLines, $"log.memoryLines {running.Log.MemoryLines} -> {loaded.Log.MemoryLines}");
        Note(needRestart, running.Metrics != loaded.Metrics, $"metrics.listen {running.Metrics.Listen?.Url ?? "(none)"} -> {loaded.Metrics.Listen?.Url ?? "(none)"}");

        return new ConfigChanges(applied, needRestart, countChanged, programChanged);
    }

    /// <summary>The loaded config, keeping the running values of what only a supervisor restart can change.</summary>
    public static SupervisorConfig KeepRestartOnly(SupervisorConfig running, SupervisorConfig loaded) =>
        loaded with
        {
            Listeners = running.Listeners,
            FrontEnd = running.FrontEnd,
            // The certificates' files apply at once; a tls section that comes or goes with an https listener waits for the restart.
            Tls = running.Tls is not null && loaded.Tls is not null ? loaded.Tls : running.Tls,
            RedirectHttpToHttps = running.RedirectHttpToHttps,
            Hsts = running.Hsts,
            Worker = loaded.Worker with { Protocol = running.Worker.Protocol },
            PidFile = running.PidFile,
            Control = running.Control,
            Limits = running.Limits,
            RateLimit = running.RateLimit,
            AccessLog = running.AccessLog,
            LoadBalancerHealth = running.LoadBalancerHealth,
            Log = loaded.Log with { File = running.Log.File, WorkerFiles = running.Log.WorkerFiles, MemoryLines = running.Log.MemoryLines },
            Metrics = running.Metrics,
        };

    private static string Spell(Enum value) => ConfigSpelling.Of(value);

    private static void NoteProxy(List<string> list, ProxyConfig running, ProxyConfig loaded)
    {
        Note(list, running.LoadBalancing != loaded.LoadBalancing, $"proxy.loadBalancing {Spell(running.LoadBalancing)} -> {Spell(loaded.LoadBalancing)}");
        Note(list, running.Retry != loaded.Retry, $"proxy.retry {Json(running.Retry)} -> {Json(loaded.Retry)}");
        Note(list, running.RequestTimeout != loaded.RequestTimeout, "proxy.requestTimeout");
        Note(list, running.ForwardedHeaders != loaded.ForwardedHeaders, $"proxy.forwardedHeaders {Spell(running.ForwardedHeaders)} -> {Spell(loaded.ForwardedHeaders)}");
        Note(list, running.RequestStartHeader != loaded.RequestStartHeader, $"proxy.requestStartHeader {Json(running.RequestStartHeader)} -> {Json(loaded.RequestStartHeader)}");
    }

    private static string Json(bool value) => value ? "true" : "false";

    private static void Note(List<string> list, bool changed, string what)
    {
        if (changed)
        {
            list.Add(what);
        }
    }

    private static bool SameEnvironment(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var value) && value == pair.Value);

    // Records compare collections by reference; the exit codes need comparing by content.
    private static bool SameRestart(RestartConfig a, RestartConfig b) =>
        a with { NoRestartExitCodes = b.NoRestartExitCodes } == b && a.NoRestartExitCodes.SetEquals(b.NoRestartExitCodes);
}
