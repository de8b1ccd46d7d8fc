using System.Net;
using Cluster.Shared.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Cluster.Supervisor.FrontEnd;

/// <summary>The proxy settings that a reloaded config can change live; swapped whole.</summary>
internal sealed class ProxySettings(ProxyConfig config, WorkerProtocol protocol, TimeProvider time)
{
    public bool Retry { get; } = config.Retry;

    /// <summary>proxy.requestStartHeader: X-Request-Start on every forwarded request.</summary>
    public bool RequestStartHeader { get; } = config.RequestStartHeader;

    public TimeProvider Time { get; } = time;

    public ForwarderRequestConfig RequestConfig { get; } = new()
    {
        ActivityTimeout = config.RequestTimeout,
        // Workers speak plain HTTP/1.1 on loopback, or HTTP/2 without TLS (worker.protocol "http2"): with no TLS there
        // is nothing to negotiate with, so HTTP/2 is prior knowledge, exactly that version.
        Version = protocol == WorkerProtocol.Http2 ? HttpVersion.Version20 : HttpVersion.Version11,
        VersionPolicy = protocol == WorkerProtocol.Http2 ? HttpVersionPolicy.RequestVersionExact : HttpVersionPolicy.RequestVersionOrLower,
    };

    public HttpTransformer Transformer { get; } = new ForwardedHeadersTransformer(config.ForwardedHeaders, config.RequestStartHeader, time);
}
