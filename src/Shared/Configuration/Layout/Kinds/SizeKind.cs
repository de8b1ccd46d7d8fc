namespace Cluster.Shared.Configuration.Layout.Kinds;

/// <summary>A size with a unit, 1024-based as in nginx, unit in any case: "512B", "32KB", "10MB", "1GB".</summary>
internal sealed class SizeKind(long min, long max)
    : UnitKind<long>("a size", Expected, min, max, fractions: false, Units)
{
    public const string Expected = "a size with a unit, such as \"32KB\", \"10MB\" or \"1GB\"";

    private const long Kilo = 1024;

    private static readonly (string, string, long)[] Units = [("B", "[bB]", 1), ("KB", "[kK][bB]", Kilo), ("MB", "[mM][bB]", Kilo * Kilo), ("GB", "[gG][bB]", Kilo * Kilo * Kilo)];

    public override string Format(long smallest) => smallest switch
    {
        >= Kilo * Kilo * Kilo when smallest % (Kilo * Kilo * Kilo) == 0 => $"{smallest / (Kilo * Kilo * Kilo)}GB",
        >= Kilo * Kilo when smallest % (Kilo * Kilo) == 0 => $"{smallest / (Kilo * Kilo)}MB",
        >= Kilo when smallest % Kilo == 0 => $"{smallest / Kilo}KB",
        _ => $"{smallest}B",
    };

    protected override long FromSmallest(decimal amount) => (long)amount;

    protected override long ToSmallest(long value) => value;
}
