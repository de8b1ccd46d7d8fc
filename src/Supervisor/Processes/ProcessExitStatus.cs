namespace Cluster.Supervisor.Processes;

/// <summary>
/// How a process ended. .NET reports a child killed by signal N as exit code 128+N (the shell's convention) and does
/// not expose the raw wait status, so codes 129..192 are read as signals, which is also right for shell wrappers.
/// </summary>
internal readonly record struct ProcessExitStatus(int ExitCode)
{
    /// <summary>Why the program could not be started at all (the exec shim said so), e.g. "cannot execute ...: Permission denied (EACCES)"; null when it ran.</summary>
    public string? StartFailure { get; init; }

    public int? Signal => ExitCode is > 128 and <= 128 + 64 ? ExitCode - 128 : null;

    public string Describe() => Signal switch
    {
        PosixSignals.SIGKILL => "killed by SIGKILL (out of memory?)",
        int signal => $"terminated by {PosixSignals.Name(signal)}",
        null => $"exited with code {ExitCode}",
    };

    public override string ToString() => Describe();
}
