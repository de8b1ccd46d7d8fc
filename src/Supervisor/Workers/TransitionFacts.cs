namespace Cluster.Supervisor.Workers;

/// <summary>Facts of a transition beyond its reason, logged as structured properties.</summary>
internal sealed record TransitionFacts(int? ExitCode = null, string? Signal = null, TimeSpan? Uptime = null, TimeSpan? NextDelay = null);
