using Cluster.Supervisor.Workers.Routing;

namespace Cluster.Supervisor.FrontEnd;

/// <summary>One client's window of one budget: the partition key of <see cref="ClientRateLimiter"/>.</summary>
internal readonly record struct ClientBudget(RateLimitBudget Budget, string Client);
