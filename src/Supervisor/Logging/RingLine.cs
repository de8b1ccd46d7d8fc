namespace Cluster.Supervisor.Logging;

/// <summary>One log event as the ring keeps it: its wire form (<see cref="LogWire"/>) and what filters look at.</summary>
internal readonly record struct RingLine(int? WorkerId, bool IsOutput, byte[] Wire);
