using System.Text.Json.Nodes;
using Cluster.Shared.Accounts;
using Cluster.Shared.Configuration.Parsing;

namespace Cluster.Shared.Configuration.Rules;

/// <summary>
/// worker.user and worker.group: a group needs a user, and the supervisor must be allowed to start processes as that
/// user (root, or the capabilities for it). Refused at `check`, at start and on reload, never half-applied at a
/// worker's start.
/// </summary>
internal static class WorkerUserRules
{
    public static void Check(SupervisorConfig config, Reading reading)
    {
        foreach (var app in config.Apps)
        {
            Check(app.Worker, AppRules.KeyPrefix(reading, app), reading);
        }
    }

    private static void Check(WorkerConfig worker, string at, Reading reading)
    {
        if (worker.Group is not null && worker.User is null && reading.Ok(at + "worker.group"))
        {
            reading.Error(reading.Node(at + "worker.group"), "worker.group needs worker.user: a group alone would leave the workers running as the supervisor's own user; set \"user\" too");
        }

        if (worker.RunAs is not { } identity || !reading.Ok(at + "worker.user") || !reading.Ok(at + "worker.group"))
        {
            return;
        }

        var supervisor = reading.Context.Environment.Credentials;
        if (!supervisor.IsOther(identity.Uid, identity.Gid))
        {
            return;
        }

        var missing = supervisor.MissingForSwitching().ToList();
        if (worker.Readiness.Notify && !supervisor.Has(LinuxCapability.Chown))
        {
            missing.Add($"{ProcessCredentials.Name(LinuxCapability.Chown)} (to give each worker its notify socket, readiness.notify)");
        }

        if (missing.Count > 0)
        {
            reading.Error(
                reading.Node(at + "worker.user"),
                $"the supervisor runs as uid {supervisor.Uid} (gid {supervisor.Gid}) without {string.Join(", ", missing)}, so it cannot start workers as {identity}: "
                + "start it as root (the workers still run as this user), or give it these capabilities (systemd: AmbientCapabilities=), or remove worker.user",
                ConfigErrorKind.Machine);
        }
    }

    /// <summary>worker.group only with worker.user.</summary>
    public static JsonNode Schema() => ConfigRules.At("worker", JsonNode.Parse("""{ "dependencies": { "group": ["user"] } }""")!);
}
