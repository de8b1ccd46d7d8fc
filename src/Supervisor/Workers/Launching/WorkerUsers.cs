using Cluster.Shared.Accounts;
using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Workers.Launching;

/// <summary>Whether a worker changes user when it starts: worker.user is set and is not who the supervisor already is.</summary>
internal static class WorkerUsers
{
    // The supervisor's own IDs do not change while it runs (unlike its capabilities, which the config check reads anew).
    private static readonly ProcessCredentials Supervisor = ProcessCredentials.Current;

    /// <summary>The user to become; null when the workers run as the supervisor's own user and group.</summary>
    public static WorkerIdentity? SwitchTo(WorkerConfig worker) => worker.RunAs is { } user && Supervisor.IsOther(user.Uid, user.Gid) ? user : null;
}
