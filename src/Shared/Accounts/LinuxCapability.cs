namespace Cluster.Shared.Accounts;

/// <summary>The capabilities (capabilities(7)) that starting workers as another user needs; each value is its bit number.</summary>
public enum LinuxCapability
{
    /// <summary>CAP_CHOWN: give a file to another user (a worker's notify socket).</summary>
    Chown = 0,

    /// <summary>CAP_KILL: signal another user's processes (stop the workers).</summary>
    Kill = 5,

    /// <summary>CAP_SETGID: setgid and initgroups.</summary>
    SetGid = 6,

    /// <summary>CAP_SETUID: setuid.</summary>
    SetUid = 7,
}
