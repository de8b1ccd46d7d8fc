using System.Globalization;
using System.Text.RegularExpressions;

namespace Cluster.Shared.Configuration.Parsing;

/// <summary>Durations are written with a unit, as in nginx and systemd: "500ms", "10s", "1.5m", "2h", "365d".</summary>
internal static partial class DurationParser
{
    public const string Expected = "a duration with a unit, such as \"500ms\", \"10s\", \"2m\" or \"1h\"";

    [GeneratedRegex(@"^\s*(?<amount>\d+(\.\d+)?)\s*(?<unit>ms|s|m|h|d)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        var match = Pattern().Match(text);
        if (!match.Success)
        {
            return false;
        }

        var amount = double.Parse(match.Groups["amount"].Value, CultureInfo.InvariantCulture);
        duration = match.Groups["unit"].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(amount),
            "s" => TimeSpan.FromSeconds(amount),
            "m" => TimeSpan.FromMinutes(amount),
            "h" => TimeSpan.FromHours(amount),
            _ => TimeSpan.FromDays(amount),
        };
        return true;
    }

    public static string Format(TimeSpan duration) => duration switch
    {
        { TotalMilliseconds: < 1000 } => $"{duration.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms",
        { TotalSeconds: < 60 } => $"{duration.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s",
        { TotalMinutes: < 60 } => $"{duration.TotalMinutes.ToString(CultureInfo.InvariantCulture)}m",
        { TotalHours: < 48 } => $"{duration.TotalHours.ToString(CultureInfo.InvariantCulture)}h",
        _ => $"{duration.TotalDays.ToString(CultureInfo.InvariantCulture)}d",
    };
}
