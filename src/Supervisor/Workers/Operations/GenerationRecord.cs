using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Workers.Operations;

/// <summary>A config that was in force, with its generation number: what a rollback returns to.</summary>
internal sealed record GenerationRecord(SupervisorConfig Config, int Generation);
