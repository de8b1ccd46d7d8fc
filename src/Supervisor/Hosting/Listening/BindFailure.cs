namespace Cluster.Supervisor.Hosting.Listening;

/// <summary>An address of the config that could not be bound, and why.</summary>
internal sealed record BindFailure(ListenEntry Entry, string Error);
