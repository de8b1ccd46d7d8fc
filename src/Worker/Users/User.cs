namespace Cluster.Worker.Users;

/// <summary>A stored user; <see cref="CreatedAt"/> is UTC, so it serialises with a trailing Z.</summary>
internal sealed record User(long Id, string Name, string Email, DateTime CreatedAt);
