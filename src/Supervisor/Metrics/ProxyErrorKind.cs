namespace Cluster.Supervisor.Metrics;

/// <summary>Why forwarding a request to a worker failed: the "kind" label of cluster_frontend_proxy_errors_total.</summary>
internal enum ProxyErrorKind
{
    /// <summary>The worker refused the connection (it left the rotation at once).</summary>
    ConnectionRefused,

    /// <summary>Sending the request or reading the answer's headers failed (a reset, a worker killed mid-request).</summary>
    Request,

    /// <summary>The worker did not start answering within proxy.requestTimeout (504).</summary>
    Timeout,

    /// <summary>Copying the request body failed, on the client's side (413 over the limit, a client that stopped sending) or the worker's.</summary>
    RequestBody,

    /// <summary>Copying the answer's body from the worker failed after it had started.</summary>
    ResponseBody,

    /// <summary>The client went away before its answer was complete.</summary>
    ClientAborted,

    /// <summary>Anything else (upgraded connections, request creation).</summary>
    Other,
}
