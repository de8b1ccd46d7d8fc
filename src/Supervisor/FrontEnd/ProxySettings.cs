using System.Net;
using Cluster.Shared.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Cluster.Supervisor.FrontEnd;

/// <summary>The proxy settings that a reloaded config can change live; swapped whole.</summary>
internal sealed class ProxySettings(ProxyConfig config)
{
    public bool Retry { get; } = config.Retry;

    public ForwarderRequestConfig RequestConfig { get; } = new()
    {
        ActivityTimeout = config.RequestTimeout,
        // Workers speak plain HTTP/1.1 on loopback; no HTTP/2 negotiation is attempted.
        Version = HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
    };

    public HttpTransformer Transformer { get; } = new ForwardedHeadersTransformer(config.ForwardedHeaders);
}
