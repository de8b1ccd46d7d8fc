using System.Collections.Concurrent;
using System.Globalization;
using Cluster.Shared.Configuration;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Core;
using Serilog.Extensions.Logging;

namespace Cluster.Supervisor.Logging;

/// <summary>
/// One rolling log file per worker id (log.workerFiles), opened when that worker first prints something. The files
/// roll and are pruned as the supervisor's own (log.file), so a chatty worker cannot fill the disk. The lines also
/// go to the supervisor's in-memory ring, so `supervisor logs` shows them as without worker files.
/// </summary>
internal sealed class WorkerOutputFiles(string pattern, LogFileConfig settings, LoggingLevelSwitch level, LogRing ring) : IDisposable
{
    public const string Placeholder = "{id}";

    private readonly ConcurrentDictionary<int, Lazy<(Logger File, Microsoft.Extensions.Logging.ILogger Logger)>> _files = new();

    public static string PathFor(string pattern, int workerId) =>
        pattern.Replace(Placeholder, workerId.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    public Microsoft.Extensions.Logging.ILogger For(int workerId) =>
        _files.GetOrAdd(workerId, id => new Lazy<(Logger, Microsoft.Extensions.Logging.ILogger)>(() => Open(id))).Value.Logger;

    public void Dispose()
    {
        foreach (var file in _files.Values.Where(f => f.IsValueCreated))
        {
            file.Value.File.Dispose();
        }
    }

    private (Logger, Microsoft.Extensions.Logging.ILogger) Open(int workerId)
    {
        var file = LogFileSink.Add(new LoggerConfiguration().MinimumLevel.ControlledBy(level).WriteTo.Sink(ring).WriteTo, PathFor(pattern, workerId), settings).CreateLogger();
#pragma warning disable CA2000 // The provider only wraps the Serilog logger, which Dispose disposes.
        return (file, new SerilogLoggerProvider(file).CreateLogger(SupervisorLogging.WorkerOutputCategory));
#pragma warning restore CA2000
    }
}
