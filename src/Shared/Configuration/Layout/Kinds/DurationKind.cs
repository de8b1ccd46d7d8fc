namespace Cluster.Shared.Configuration.Layout.Kinds;

/// <summary>A duration with a unit, as in nginx and systemd: "500ms", "10s", "1.5m", "2h", "365d" (days shown from 48h on).</summary>
internal sealed class DurationKind(TimeSpan min, TimeSpan max)
    : UnitKind<TimeSpan>("a duration", Expected, (long)min.TotalMilliseconds, (long)max.TotalMilliseconds, fractions: true, [("ms", "ms", 1, 0), ("s", "s", 1000, 1000), ("m", "m", 60_000, 60_000), ("h", "h", 3_600_000, 3_600_000), ("d", "d", 86_400_000, 2 * 86_400_000)])
{
    public const string Expected = "a duration with a unit, such as \"500ms\", \"10s\", \"2m\" or \"1h\"";
    private static readonly DurationKind Any = new(TimeSpan.Zero, TimeSpan.Zero);

    /// <summary>A duration written as in the file ("100ms"), for the bounds the layout states.</summary>
    public static TimeSpan Parse(string duration) => Any.FromSmallest(Any.Smallest(duration));
    public static string Format(TimeSpan duration) => Any.Format((decimal)duration.Ticks / TimeSpan.TicksPerMillisecond);
    protected override TimeSpan FromSmallest(decimal amount) => TimeSpan.FromTicks((long)(amount * TimeSpan.TicksPerMillisecond));
    protected override decimal ToSmallest(TimeSpan value) => (decimal)value.Ticks / TimeSpan.TicksPerMillisecond;
}
