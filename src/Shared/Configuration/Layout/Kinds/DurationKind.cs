using System.Globalization;

namespace Cluster.Shared.Configuration.Layout.Kinds;

/// <summary>A duration with a unit, as in nginx and systemd: "500ms", "10s", "1.5m", "2h", "365d".</summary>
internal sealed class DurationKind(TimeSpan min, TimeSpan max)
    : UnitKind<TimeSpan>("a duration", Expected, (long)min.TotalMilliseconds, (long)max.TotalMilliseconds, fractions: true, Units)
{
    public const string Expected = "a duration with a unit, such as \"500ms\", \"10s\", \"2m\" or \"1h\"";

    private static readonly (string, string, long)[] Units = [("ms", "ms", 1), ("s", "s", 1000), ("m", "m", 60_000), ("h", "h", 3_600_000), ("d", "d", 86_400_000)];

    /// <summary>In the largest unit that divides it exactly (days only from 48h on): "30s", "130s", "1500ms", "24h", "365d".</summary>
    public static string Format(TimeSpan duration)
    {
        var milliseconds = duration.TotalMilliseconds;
        var (unit, _, size) = Units.Reverse().FirstOrDefault(u => milliseconds > 0 && milliseconds % u.Item3 == 0 && (u.Item1 != "d" || duration.TotalHours >= 48), ("ms", "ms", 1));
        return $"{(milliseconds / size).ToString(CultureInfo.InvariantCulture)}{unit}";
    }

    public override string Format(long smallest) => Format(TimeSpan.FromMilliseconds(smallest));

    protected override TimeSpan FromSmallest(decimal amount) => TimeSpan.FromTicks((long)(amount * TimeSpan.TicksPerMillisecond));

    protected override long ToSmallest(TimeSpan value) => (long)value.TotalMilliseconds;

    public override System.Text.Json.Nodes.JsonNode? Show(TimeSpan value) => Format(value);
}
