namespace Cluster.Supervisor.FrontEnd;

/// <summary>
/// When a retried request was received, for its X-Request-Start (proxy.requestStartHeader): set only on a retry, as a
/// first attempt is forwarded within microseconds of its arrival and takes the time then, without this allocation.
/// </summary>
internal sealed class RequestReceivedFeature(DateTimeOffset at)
{
    public DateTimeOffset At { get; } = at;
}
