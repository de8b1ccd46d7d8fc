namespace Cluster.Supervisor.FrontEnd.Tls;

/// <summary>
/// Set on a connection whose client offered only ALPN protocols the front end does not speak: its handshake then
/// leaves ALPN out (RFC 7301 lets a server ignore the extension) and the connection speaks HTTP/1.x.
/// </summary>
internal sealed class ForeignAlpnFeature
{
    public static readonly ForeignAlpnFeature Instance = new();

    private ForeignAlpnFeature()
    {
    }
}
