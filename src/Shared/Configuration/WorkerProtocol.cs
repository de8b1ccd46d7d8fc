namespace Cluster.Shared.Configuration;

/// <summary>How the front end talks to the workers on their loopback ports.</summary>
public enum WorkerProtocol
{
    Http1,
    Http2,
}
