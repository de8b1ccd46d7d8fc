namespace Cluster.Shared.Configuration;

/// <summary>How the front end talks to the workers on their loopback ports.</summary>
public enum WorkerProtocol
{
    /// <summary>HTTP/1.1, what every HTTP server speaks (the default).</summary>
    Http1,

    /// <summary>HTTP/2 cleartext with prior knowledge (h2c): for gRPC workers (trailers, streaming).</summary>
    Http2,
}
