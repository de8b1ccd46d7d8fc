using Cluster.Shared.Configuration;
using Cluster.Supervisor.Workers;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace Cluster.Supervisor.Logging;

/// <summary>
/// One human-readable line per event on stdout. ASP.NET Core and YARP stay at Warning unless debugging. The levels are
/// switches, so a reloaded config's log.level applies at once.
/// </summary>
internal sealed class SupervisorLogging : ILogLevelControl, IDisposable
{
    public const string ConsoleTemplate = "{Timestamp:yyyy-MM-dd HH:mm:ss.fff} [{Level:u3}] {Message:lj}{NewLine}{Exception}";

    private readonly LoggingLevelSwitch _level = new();
    private readonly LoggingLevelSwitch _frameworks = new();

    public SupervisorLogging(LogLevelSetting level)
    {
        Apply(level);
        Logger = new LoggerConfiguration()
            .MinimumLevel.ControlledBy(_level)
            .MinimumLevel.Override("Microsoft", _frameworks)
            .MinimumLevel.Override("System", _frameworks)
            .MinimumLevel.Override("Yarp", _frameworks)
            .WriteTo.Console(outputTemplate: ConsoleTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .CreateLogger();
    }

    public Logger Logger { get; }

    public void Apply(LogLevelSetting level)
    {
        _level.MinimumLevel = ToSerilog(level);
        _frameworks.MinimumLevel = _level.MinimumLevel <= LogEventLevel.Debug ? _level.MinimumLevel : LogEventLevel.Warning;
    }

    public void Dispose() => Logger.Dispose();

    public static LogEventLevel ToSerilog(LogLevelSetting level) => level switch
    {
        LogLevelSetting.Verbose => LogEventLevel.Verbose,
        LogLevelSetting.Debug => LogEventLevel.Debug,
        LogLevelSetting.Information => LogEventLevel.Information,
        LogLevelSetting.Warning => LogEventLevel.Warning,
        LogLevelSetting.Error => LogEventLevel.Error,
        _ => LogEventLevel.Fatal,
    };
}
