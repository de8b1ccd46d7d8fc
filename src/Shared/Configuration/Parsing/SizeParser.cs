using System.Globalization;
using System.Text.RegularExpressions;

namespace Cluster.Shared.Configuration.Parsing;

/// <summary>Sizes are written with a unit, 1024-based as in nginx: "512B", "32KB", "10MB", "1GB".</summary>
internal static partial class SizeParser
{
    public const string Expected = "a size with a unit, such as \"32KB\", \"10MB\" or \"1GB\"";

    [GeneratedRegex(@"^\s*(?<amount>\d+)\s*(?<unit>B|KB|MB|GB)\s*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();

    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        var match = Pattern().Match(text);
        if (!match.Success || !long.TryParse(match.Groups["amount"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }

        var multiplier = match.Groups["unit"].Value.ToUpperInvariant() switch
        {
            "B" => 1L,
            "KB" => 1024L,
            "MB" => 1024L * 1024,
            _ => 1024L * 1024 * 1024,
        };
        if (amount > long.MaxValue / multiplier)
        {
            return false;
        }

        bytes = amount * multiplier;
        return true;
    }

    public static string Format(long bytes) => bytes switch
    {
        >= 1024L * 1024 * 1024 when bytes % (1024L * 1024 * 1024) == 0 => $"{bytes / (1024L * 1024 * 1024)}GB",
        >= 1024L * 1024 when bytes % (1024L * 1024) == 0 => $"{bytes / (1024L * 1024)}MB",
        >= 1024 when bytes % 1024 == 0 => $"{bytes / 1024}KB",
        _ => $"{bytes}B",
    };
}
