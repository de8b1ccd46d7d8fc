namespace Cluster.Supervisor.Metrics;

/// <summary>One worker slot as the metrics show it: the process that holds the slot, or the one leaving it.</summary>
internal sealed record WorkerSlotSample(int Id, string State, int Restarts, double? UptimeSeconds, long? MemoryBytes, long RequestsInFlight, long? Connections = null);
