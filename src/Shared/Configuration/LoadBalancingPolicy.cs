namespace Cluster.Shared.Configuration;

public enum LoadBalancingPolicy
{
    RoundRobin,
    PowerOfTwoChoices,
    LeastRequests,
}
