namespace Cluster.Supervisor.Processes;

internal enum OutputStream
{
    Stdout,
    Stderr,
}

/// <summary>One line a child process printed.</summary>
internal readonly record struct OutputLine(int Pid, OutputStream Stream, string Text);
