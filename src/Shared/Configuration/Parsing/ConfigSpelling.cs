namespace Cluster.Shared.Configuration.Parsing;

/// <summary>
/// An enum value as supervisor.json spells it ("none", "roundRobin"), not as C# names it ("None", "RoundRobin"):
/// what reload and SIGHUP print about a change must be what the operator would write. Taken from the reader's own
/// documented spellings, so there is one list of them.
/// </summary>
internal static class ConfigSpelling
{
    public static string Of(Enum value) => value switch
    {
        CpuAffinity v => Find(v, SupervisorConfigReader.CpuAffinities, SupervisorConfigReader.DocumentedCpuAffinities),
        ForwardedHeadersMode v => Find(v, SupervisorConfigReader.ForwardedModes, SupervisorConfigReader.DocumentedForwardedModes),
        FrontEndMode v => Find(v, FrontEndRules.Modes, FrontEndRules.DocumentedModes),
        LoadBalancingPolicy v => Find(v, SupervisorConfigReader.Policies, SupervisorConfigReader.DocumentedPolicies),
        LogFileFormat v => Find(v, SupervisorConfigReader.LogFormats, SupervisorConfigReader.DocumentedLogFormats),
        LogLevelSetting v => Find(v, SupervisorConfigReader.LogLevels, SupervisorConfigReader.DocumentedLogLevels),
        LogRollingInterval v => Find(v, SupervisorConfigReader.RollingIntervals, SupervisorConfigReader.DocumentedRollingIntervals),
        WorkerProtocol v => Find(v, SupervisorConfigReader.WorkerProtocols, SupervisorConfigReader.DocumentedWorkerProtocols),
        _ => throw new ArgumentException($"{value.GetType().Name} is not a value of a supervisor.json key", nameof(value)),
    };

    private static string Find<TEnum>(TEnum value, IReadOnlyDictionary<string, TEnum> accepted, IReadOnlyList<string> documented)
        where TEnum : struct, Enum =>
        documented.FirstOrDefault(name => accepted.TryGetValue(name.ToLowerInvariant(), out var named) && named.Equals(value))
        ?? throw new ArgumentException($"{typeof(TEnum).Name}.{value} has no documented spelling", nameof(value));
}
