namespace Cluster.Shared.Configuration;

/// <summary>How many workers to run; <see cref="IsAuto"/> when it came from "auto" (one per CPU the process may use).</summary>
public sealed record WorkerCount(int Count, bool IsAuto)
{
    public const int Max = 1024;
    public override string ToString() => IsAuto ? $"{Count} (auto)" : Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
