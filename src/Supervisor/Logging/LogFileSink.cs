using System.Globalization;
using Cluster.Shared.Configuration;
using Serilog;
using Serilog.Configuration;
using Serilog.Formatting;
using Serilog.Formatting.Display;

namespace Cluster.Supervisor.Logging;

/// <summary>A rolling log file (by time and by size, with retention) as configured under log.file.</summary>
internal static class LogFileSink
{
    public static LoggerConfiguration Add(LoggerSinkConfiguration writeTo, string path, LogFileConfig settings, OpenedFiles? opened = null) =>
        writeTo.Sink(new RollingLogFile(path, settings, Formatter(settings.Format), opened: opened is null ? null : opened.Opened));

    public static ITextFormatter Formatter(LogFileFormat format) => format == LogFileFormat.Json
        ? new LogJsonFormatter()
        : new MessageTemplateTextFormatter(SupervisorLogging.ConsoleTemplate, CultureInfo.InvariantCulture);
}
