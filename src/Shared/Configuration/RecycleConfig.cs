namespace Cluster.Shared.Configuration;

/// <summary>
/// Planned replacement of a worker that has grown too big or served enough requests (PM2's max_memory_restart,
/// gunicorn's max_requests). The replacement starts first; the old worker is drained and stopped once it is ready.
/// </summary>
public sealed record RecycleConfig
{
    /// <summary>Resident memory (the worker and its child processes) above which it is recycled; null is off.</summary>
    public int? MaxMemoryMb { get; init; }

    /// <summary>Requests served after which it is recycled; null is off.</summary>
    public long? MaxRequests { get; init; }

    /// <summary>Each worker's limit is MaxRequests plus a random 0..this, so workers do not all recycle at once.</summary>
    public int MaxRequestsJitter { get; init; }

    public bool Enabled => MaxMemoryMb is not null || MaxRequests is not null;
}
