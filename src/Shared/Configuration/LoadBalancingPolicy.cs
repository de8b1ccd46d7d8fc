namespace Cluster.Shared.Configuration;

public enum LoadBalancingPolicy
{
    /// <summary>Each ready worker in turn.</summary>
    RoundRobin,

    /// <summary>Of two workers picked at random, the one with fewer requests in flight.</summary>
    PowerOfTwoChoices,

    /// <summary>The worker with the fewest requests in flight.</summary>
    LeastRequests,
}
