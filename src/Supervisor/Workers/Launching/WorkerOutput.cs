using Cluster.Supervisor.Processes;
using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.Workers.Launching;

/// <summary>One worker process's output lines, each logged with its app (the property "App") and worker id.</summary>
internal sealed class WorkerOutput(ILogger logger, string app, int workerId)
{
    private readonly Dictionary<string, object> _scope = new(StringComparer.Ordinal) { [WorkerTransitions.AppProperty] = app };

    public void Write(OutputLine line)
    {
        using var scope = logger.BeginScope(_scope);
        WorkerLog.Output(logger, workerId, line.Pid, line.Stream == OutputStream.Stdout ? "out" : "err", line.Text);
    }
}
