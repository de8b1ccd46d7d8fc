namespace Cluster.Supervisor.Processes;

/// <summary>The program could not be executed at all (missing, not executable, bad working directory).</summary>
internal sealed class ChildProcessStartException(string message, Exception inner) : Exception(message, inner);
