using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Cluster.Contract;

namespace Cluster.Worker.Hosting;

/// <summary>What the worker reads from its environment: the supervisor's contract plus the worker's own settings.</summary>
internal sealed record WorkerSettings(int Port, bool PortDefaulted, int WorkerId, string DatabasePath, bool TestEndpointsEnabled, int? SupervisorPid = null)
{
    public const int DefaultPort = 5000;

    /// <summary>Path of the SQLite file shared by all workers; relative paths are resolved against the current directory.</summary>
    public const string DatabasePathVariable = "USERS_DB";

    public const string DefaultDatabasePath = "data/users.db";

    /// <summary>Set to 1 to map the endpoints under /debug that tests need (a slow request, a failing request).</summary>
    public const string TestEndpointsVariable = "WORKER_ENABLE_TEST_ENDPOINTS";

    public static bool TryRead(
        Func<string, string?> environment,
        [NotNullWhen(true)] out WorkerSettings? settings,
        [NotNullWhen(false)] out string? error)
    {
        settings = null;
        var portText = environment(WorkerEnvironment.Port);
        var port = DefaultPort;
        if (portText is not null && !TryParseInteger(portText, 1, 65535, out port))
        {
            error = $"invalid {WorkerEnvironment.Port} \"{portText}\": expected an integer from 1 to 65535";
            return false;
        }

        var idText = environment(WorkerEnvironment.WorkerId);
        var workerId = 0;
        if (idText is not null && !TryParseInteger(idText, 0, int.MaxValue, out workerId))
        {
            error = $"invalid {WorkerEnvironment.WorkerId} \"{idText}\": expected a non-negative integer";
            return false;
        }

        var databaseText = environment(DatabasePathVariable);
        var databasePath = Path.GetFullPath(string.IsNullOrWhiteSpace(databaseText) ? DefaultDatabasePath : databaseText);

        // Only a hint for watching the parent; a malformed value just turns the watch off.
        int? supervisorPid = TryParseInteger(environment(WorkerEnvironment.SupervisorPid) ?? string.Empty, 1, int.MaxValue, out var parsedPid) ? parsedPid : null;

        settings = new WorkerSettings(port, portText is null, workerId, databasePath, environment(TestEndpointsVariable) == "1", supervisorPid);
        error = null;
        return true;
    }

    private static bool TryParseInteger(string text, int min, int max, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
}
