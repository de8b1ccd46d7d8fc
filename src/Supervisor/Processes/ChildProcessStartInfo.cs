namespace Cluster.Supervisor.Processes;

/// <summary>What to run, and how to stop it. <see cref="Environment"/> is added to the supervisor's own environment.</summary>
internal sealed record ChildProcessStartInfo(
    string FileName,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string> Environment,
    string WorkingDirectory)
{
    /// <summary>The signal that asks it to stop (worker.stopSignal); SIGKILL follows if it does not.</summary>
    public int StopSignal { get; init; } = PosixSignals.SIGTERM;

    /// <summary>
    /// Signals go to its whole process group (worker.killProcessGroup): only for a program that leads its own group,
    /// which <see cref="ExecShim"/> makes every worker do, so the children of a wrapper script stop with it.
    /// </summary>
    public bool SignalWholeGroup { get; init; }

    /// <summary>The name of the user it runs as, for `status` and `top`.</summary>
    public string User { get; init; } = string.Empty;
}
