namespace Cluster.Supervisor.Processes;

/// <summary>What to run. <see cref="Environment"/> is added to the supervisor's own environment.</summary>
internal sealed record ChildProcessStartInfo(
    string FileName,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string> Environment,
    string WorkingDirectory);
