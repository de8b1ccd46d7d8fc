namespace Cluster.Shared.Configuration;

/// <summary>"recycle": planned replacement of a worker grown too big or that served enough requests (see Layout/ConfigLayout.cs).</summary>
public sealed record RecycleConfig
{
    public int? MaxMemoryMb { get; init; }
    public long? MaxRequests { get; init; }
    public int MaxRequestsJitter { get; init; }
    public bool Enabled => MaxMemoryMb is not null || MaxRequests is not null;
}
