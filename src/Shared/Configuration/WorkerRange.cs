namespace Cluster.Shared.Configuration;

/// <summary>
/// "workers" as a range: a pool that follows the load between <see cref="Min"/> and <see cref="Max"/>, keeping
/// <see cref="Spare"/> ready workers idle and retiring a worker idle for <see cref="IdleTimeout"/> (see docs/pools.md;
/// the keys are described in Layout/ConfigLayout.cs).
/// </summary>
public sealed record WorkerRange
{
    /// <summary>Workers kept however idle the app is; 0 is on demand (no worker until a request comes).</summary>
    public int Min { get; init; }

    /// <summary>Workers at most ("auto": one per CPU this process may use).</summary>
    public WorkerCount Max { get; init; } = new(1, IsAuto: false);

    /// <summary>Ready workers without a request in flight that the pool keeps in hand for the next burst.</summary>
    public int Spare { get; init; }

    /// <summary>A worker idle this long is retired (above <see cref="Min"/>); and one started is kept at least this long.</summary>
    public TimeSpan IdleTimeout { get; init; }

    /// <summary>On demand: no worker until a request comes, and none kept once the app is idle (spares only while it has traffic).</summary>
    public bool OnDemand => Min == 0;

    /// <summary>
    /// The workers started with: <see cref="Min"/> plus <see cref="Spare"/>, at most <see cref="Max"/> (php-fpm's
    /// start_servers); none on demand (php-fpm's ondemand).
    /// </summary>
    public int Initial => OnDemand ? 0 : Math.Min(Min + Spare, Max.Count);

    /// <summary>For `check` and the start line: "1 to 6 (max auto; spare 1, idle 30s)".</summary>
    public override string ToString() => $"{Min} to {Max.Count} ({(Max.IsAuto ? "max auto; " : string.Empty)}spare {Spare}, idle {Layout.Kinds.DurationKind.Format(IdleTimeout)})";
}
