namespace Cluster.Shared.Configuration.Layout.Kinds;

/// <summary>A size with a unit, 1024-based as in nginx, unit in any case: "512B", "32KB", "10MB", "1GB".</summary>
internal sealed class SizeKind(long min, long max)
    : UnitKind<long>("a size", Expected, min, max, fractions: false, [("B", "[bB]", 1, 0), ("KB", "[kK][bB]", 1 << 10, 1 << 10), ("MB", "[mM][bB]", 1 << 20, 1 << 20), ("GB", "[gG][bB]", 1 << 30, 1 << 30)])
{
    public const string Expected = "a size with a unit, such as \"32KB\", \"10MB\" or \"1GB\"";
    protected override long FromSmallest(decimal amount) => (long)amount;
    protected override decimal ToSmallest(long value) => value;
}
