using System.Text;
using Serilog.Sinks.File;

namespace Cluster.Supervisor.Logging;

/// <summary>
/// Notes the file the sink last opened. Serilog's file sink reports a file it cannot open only to its SelfLog and
/// then drops events; this is how the supervisor learns, at start, that its log file really was opened.
/// </summary>
internal sealed class OpenedFiles : FileLifecycleHooks
{
    private volatile string? _last;

    public string? Last => _last;

    public override Stream OnFileOpened(string path, Stream underlyingStream, Encoding encoding)
    {
        _last = path;
        return underlyingStream;
    }
}
