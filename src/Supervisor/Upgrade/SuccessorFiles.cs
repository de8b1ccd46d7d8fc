using System.Globalization;

namespace Cluster.Supervisor.Upgrade;

/// <summary>Names of a supervisor's own files while it takes over, beside control.socket.</summary>
internal static class SuccessorFiles
{
    /// <summary>
    /// Where a new supervisor binds its control socket until it takes over (then it is renamed to control.socket). With
    /// its PID in it, anything already there was left by an earlier process with that PID. Shorter than the notify
    /// sockets' names, which the config reader leaves room for.
    /// </summary>
    public static string ControlSocketName(int pid) => string.Create(CultureInfo.InvariantCulture, $"next-{pid}.sock");
}
