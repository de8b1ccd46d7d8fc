namespace Cluster.Shared.Configuration;

/// <summary>
/// One public listener of the front end (an entry of "listen"). <see cref="Http2"/> makes a cleartext listener speak
/// HTTP/2 with prior knowledge (h2c, for gRPC clients); https listeners offer HTTP/2 and HTTP/1.1 by ALPN either way.
/// </summary>
public sealed record ListenerConfig(ListenAddress Endpoint, bool Http2 = false)
{
    public string Url => Endpoint.Url;
    public ListenHost Host => Endpoint.Host;
    public System.Net.IPAddress? Address => Endpoint.Address;
    public int Port => Endpoint.Port;
    public ListenScheme Scheme => Endpoint.Scheme;
    public bool IsHttps => Endpoint.Scheme == ListenScheme.Https;

    /// <summary>For messages and status: the URL, with "(h2c)" for a cleartext HTTP/2 listener.</summary>
    public override string ToString() => Http2 ? $"{Url} (h2c)" : Url;
}
