namespace Cluster.Supervisor.Metrics;

/// <summary>One worker slot of an app as the metrics show it: the process that holds the slot, or the one leaving it.</summary>
internal sealed record WorkerSlotSample(string App, int Id, string State, int Restarts, double? UptimeSeconds, long? MemoryBytes, long RequestsInFlight, long? Connections = null);
