namespace Cluster.Supervisor.Logging;

/// <summary>One log event as the ring keeps it: its wire form (<see cref="LogWire"/>) and what filters look at.</summary>
/// <param name="App">The app of the worker the line is about; null for the supervisor's own lines.</param>
internal readonly record struct RingLine(int? WorkerId, bool IsOutput, byte[] Wire, string? App = null);
