namespace Cluster.Supervisor.Workers;

/// <summary>How a worker's last process ended, for status and reports.</summary>
internal sealed record ExitRecord(string Description, int? ExitCode, string? Signal, DateTimeOffset At);
