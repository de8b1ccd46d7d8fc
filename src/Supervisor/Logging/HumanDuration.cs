using System.Globalization;

namespace Cluster.Supervisor.Logging;

/// <summary>Durations for people reading logs: "850ms", "12.3s", "3m12s", "5h04m", "2d03h".</summary>
internal static class HumanDuration
{
    public static string Format(TimeSpan duration) => duration switch
    {
        { TotalSeconds: < 1 } => $"{Math.Max(0, (int)duration.TotalMilliseconds)}ms",
        { TotalSeconds: < 10 } => $"{duration.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)}s",
        { TotalMinutes: < 1 } => $"{(int)duration.TotalSeconds}s",
        { TotalHours: < 1 } => $"{(int)duration.TotalMinutes}m{duration.Seconds:00}s",
        { TotalDays: < 1 } => $"{(int)duration.TotalHours}h{duration.Minutes:00}m",
        _ => $"{(int)duration.TotalDays}d{duration.Hours:00}h",
    };
}
