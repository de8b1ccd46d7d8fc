using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Workers.Operations;

/// <summary>An app's config that was in force, with its generation number: what a rollback returns to.</summary>
internal sealed record GenerationRecord(AppConfig Config, int Generation);
