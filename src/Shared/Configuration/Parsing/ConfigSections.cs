namespace Cluster.Shared.Configuration.Parsing;

/// <summary>
/// Every object of supervisor.json and the keys it allows, by path ("" is the root). The reader, the environment
/// overrides and the JSON Schema test all work from this one list.
/// </summary>
internal static class ConfigSections
{
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Objects { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        [""] = SupervisorConfigReader.RootKeys,
        ["tls"] = TlsConfigReader.TlsKeys,
        ["hsts"] = SupervisorConfigReader.HstsKeys,
        ["control"] = SupervisorConfigReader.ControlKeys,
        ["worker"] = SupervisorConfigReader.WorkerKeys,
        ["worker.readiness"] = SupervisorConfigReader.ReadinessKeys,
        ["restart"] = SupervisorConfigReader.RestartKeys,
        ["health"] = SupervisorConfigReader.HealthKeys,
        ["recycle"] = SupervisorConfigReader.RecycleKeys,
        ["reload"] = SupervisorConfigReader.ReloadKeys,
        ["proxy"] = SupervisorConfigReader.ProxyKeys,
        ["limits"] = SupervisorConfigReader.LimitsKeys,
        ["rateLimit"] = SupervisorConfigReader.RateLimitKeys,
        ["accessLog"] = SupervisorConfigReader.AccessLogKeys,
        ["loadBalancerHealth"] = SupervisorConfigReader.LoadBalancerHealthKeys,
        ["metrics"] = SupervisorConfigReader.MetricsKeys,
        ["log"] = SupervisorConfigReader.LogKeys,
        ["log.file"] = SupervisorConfigReader.LogFileKeys,
    };

    /// <summary>Objects whose keys are the user's own (environment variable names), not ours.</summary>
    public static IReadOnlySet<string> FreeForm { get; } = new HashSet<string>(StringComparer.Ordinal) { "worker.env" };
}
