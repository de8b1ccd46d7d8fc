using System.Globalization;
using Cluster.Supervisor.Workers;

namespace Cluster.Supervisor.FrontEnd;

/// <summary>One ready worker as the request path sees it: where to send, what is in flight, whether it answered.</summary>
internal sealed class WorkerDestination(WorkerEndpoint endpoint, WorkerTraffic traffic)
{
    private volatile bool _unreachable;

    public WorkerEndpoint Endpoint { get; } = endpoint;

    /// <summary>The forwarder's destination prefix.</summary>
    public string Prefix { get; } = $"http://127.0.0.1:{endpoint.Port}/";

    public string WorkerId { get; } = endpoint.WorkerId.ToString(CultureInfo.InvariantCulture);

    public WorkerTraffic Traffic { get; } = traffic;

    /// <summary>
    /// Set when a connection to it failed: it gets no more requests at once, before the control loop has heard of it.
    /// A later publish that still lists it keeps the flag; one that lists it again after dropping it starts afresh.
    /// </summary>
    public bool Unreachable => _unreachable;

    public void MarkUnreachable() => _unreachable = true;
}
