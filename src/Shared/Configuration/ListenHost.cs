namespace Cluster.Shared.Configuration;

public enum ListenHost
{
    /// <summary>One IP address (IPv4 or IPv6), including 0.0.0.0 and [::].</summary>
    Address,

    /// <summary>"localhost": the loopback addresses of both IPv4 and IPv6.</summary>
    Localhost,

    /// <summary>"*" or "+": every interface, IPv4 and IPv6.</summary>
    AnyInterface,
}
