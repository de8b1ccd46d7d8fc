using Cluster.Shared.Configuration.Parsing;

namespace Cluster.Shared.Configuration.Rules;

/// <summary>
/// The bounds of pools that follow the load, which no JSON Schema can compare: a range's minimum and spare workers
/// within its maximum, and the machine-wide cap (maxWorkers) at least what the apps keep however idle they are.
/// </summary>
internal static class PoolRules
{
    public static void Check(SupervisorConfig config, Reading reading)
    {
        foreach (var app in config.Apps)
        {
            var at = AppRules.KeyPrefix(reading, app);
            if (app.Workers.Range is { } range && reading.Ok(at + "workers"))
            {
                Check(range, at + "workers", reading);
            }
        }

        if (config.MaxWorkers is { } cap && config.Apps.Sum(a => a.Workers.Least) is var least && least > cap && reading.Ok("maxWorkers"))
        {
            var each = string.Join(" + ", config.Apps.Select(a => $"{a.Name} {a.Workers.Least}"));
            reading.Error(reading.Node("maxWorkers"), $"maxWorkers ({cap}) is below the workers the apps keep however idle they are ({each} = {least}; a fixed count counts whole, a range its \"min\"): lower those, or raise maxWorkers", ConfigErrorKind.Relation);
        }
    }

    private static void Check(WorkerRange range, string key, Reading reading)
    {
        // "auto" is this machine's CPU count: a minimum above it is wrong here, maybe not elsewhere.
        var (max, kind) = range.Max.IsAuto ? ($"\"auto\", {range.Max.Count} on this machine", ConfigErrorKind.Machine) : (range.Max.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), ConfigErrorKind.Relation);
        if (range.Min > range.Max.Count)
        {
            reading.Error(reading.Node(key + ".min"), $"{key}.min ({range.Min}) must not be above {key}.max ({max})", kind);
        }

        if (range.Spare > range.Max.Count)
        {
            reading.Error(reading.Node(key + ".spare"), $"{key}.spare ({range.Spare}) must not be above {key}.max ({max}): the pool could never keep that many idle", kind);
        }
    }
}
