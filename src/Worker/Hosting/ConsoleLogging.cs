using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Logging.Console;

namespace Cluster.Worker.Hosting;

/// <summary>One human-readable line per event on stdout, tagged with the worker id; quiet unless something happens.</summary>
internal static class ConsoleLogging
{
    // Defaults go in as the lowest-priority configuration source (not AddFilter, which would win over everything),
    // so an operator can still turn a category up with e.g. Logging__LogLevel__Microsoft.AspNetCore=Information.
    private static readonly Dictionary<string, string?> DefaultLevels = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        // Per-request lines would drown the output of N workers; ASP.NET Core still reports its warnings and errors.
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        // The worker logs its own start and stop lines, with its id and port.
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
    };

    public static void AddWorkerConsole(this WebApplicationBuilder builder, int workerId)
    {
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = DefaultLevels });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.IncludeScopes = false;
            options.UseUtcTimestamp = true;
            // Under the supervisor every line is already stamped with time, worker id and PID; alone, the worker adds
            // them itself. The simple formatter has no slot for extra fields, so the id rides in the timestamp format.
            options.TimestampFormat = UnderSupervisor() ? null : $"yyyy-MM-dd'T'HH:mm:ss.fff'Z [worker {workerId}]' ";
            options.ColorBehavior = ColoursWanted() ? LoggerColorBehavior.Enabled : LoggerColorBehavior.Disabled;
        });
    }

    private static bool UnderSupervisor() =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Cluster.Contract.WorkerEnvironment.SupervisorPid));

    private static bool ColoursWanted() =>
        !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
}
