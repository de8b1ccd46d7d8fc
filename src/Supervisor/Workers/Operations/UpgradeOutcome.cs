namespace Cluster.Supervisor.Workers.Operations;

/// <summary>How the last upgrade attempt this supervisor made ended without handing over: refused or failed (`status`).</summary>
internal sealed record UpgradeOutcome(string Result, string Origin, string Detail, DateTimeOffset At);
