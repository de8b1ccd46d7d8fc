namespace Cluster.Shared.Configuration;

public enum ForwardedHeadersMode
{
    /// <summary>Replace what the client sent: right when clients connect directly.</summary>
    Set,

    /// <summary>Append to what was sent: right behind a trusted load balancer that sets them.</summary>
    Append,
}
