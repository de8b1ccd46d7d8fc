using Cluster.Shared.Configuration;
using Serilog;
using Serilog.Events;

namespace Cluster.Supervisor.Logging;

internal static class SupervisorLogging
{
    public const string ConsoleTemplate = "{Timestamp:yyyy-MM-dd HH:mm:ss.fff} [{Level:u3}] {Message:lj}{NewLine}{Exception}";

    /// <summary>One human-readable line per event on stdout. ASP.NET Core and YARP stay at Warning unless debugging.</summary>
    public static Serilog.Core.Logger Create(LogLevelSetting level)
    {
        var minimum = ToSerilog(level);
        var frameworks = minimum <= LogEventLevel.Debug ? minimum : LogEventLevel.Warning;
        return new LoggerConfiguration()
            .MinimumLevel.Is(minimum)
            .MinimumLevel.Override("Microsoft", frameworks)
            .MinimumLevel.Override("System", frameworks)
            .MinimumLevel.Override("Yarp", frameworks)
            .WriteTo.Console(outputTemplate: ConsoleTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .CreateLogger();
    }

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
