namespace Cluster.Shared.Configuration;

/// <summary>How clients reach the workers ("frontEnd" in supervisor.json).</summary>
public enum FrontEndMode
{
    /// <summary>The supervisor's own reverse proxy (Kestrel + YARP) owns the public port and forwards every request.</summary>
    Proxy,

    /// <summary>
    /// The supervisor binds the public port once and hands the listening socket to every worker (systemd's socket
    /// activation protocol); the workers accept from it themselves, as with Node's cluster and gunicorn.
    /// </summary>
    SharedSocket,
}
