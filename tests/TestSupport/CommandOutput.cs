namespace Cluster.TestSupport;

/// <summary>How a command run by <see cref="TestCommand"/> ended: its exit code and every line it printed.</summary>
/// <param name="Lines">stdout and stderr together, in the order they arrived.</param>
public sealed record CommandOutput(int Pid, int ExitCode, IReadOnlyList<string> Lines, IReadOnlyList<string> StandardOutput, IReadOnlyList<string> StandardError)
{
    public string Output => string.Join('\n', Lines);
}
