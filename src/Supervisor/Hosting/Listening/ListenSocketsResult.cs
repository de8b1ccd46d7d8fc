namespace Cluster.Supervisor.Hosting.Listening;

/// <summary>The outcome of <see cref="ListenSockets.Open"/>: the sockets, or what did not match (exit 2), or the address that could not be bound (exit 1).</summary>
internal sealed record ListenSocketsResult(ListenSockets? Sockets, IReadOnlyList<string> Mismatches, IReadOnlyList<string> Unused, BindFailure? BindFailure);
