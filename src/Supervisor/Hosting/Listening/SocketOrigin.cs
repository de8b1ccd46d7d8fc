namespace Cluster.Supervisor.Hosting.Listening;

/// <summary>Where the supervisor's listening sockets came from (status: <c>supervisor.sockets</c>).</summary>
internal enum SocketOrigin
{
    /// <summary>Bound by this supervisor at start.</summary>
    Bound,

    /// <summary>Passed by systemd (a .socket unit): they outlive the supervisor, so a restart refuses no connection.</summary>
    Systemd,

    /// <summary>Handed over by the supervisor this one replaced (`supervisor upgrade`, SIGUSR2).</summary>
    Predecessor,
}
