namespace Cluster.Supervisor.Logging;

/// <summary>
/// Notes the file the log file's writer last opened: the writer reports a file it cannot open to its failure
/// listener and drops events; this is how the supervisor learns, at start, that its log file really was opened.
/// </summary>
internal sealed class OpenedFiles
{
    private volatile string? _last;

    public string? Last => _last;

    public void Opened(string path) => _last = path;
}
