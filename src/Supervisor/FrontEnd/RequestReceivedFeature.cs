namespace Cluster.Supervisor.FrontEnd;

/// <summary>
/// When a request was received, for its X-Request-Start (proxy.requestStartHeader): set only when it was not forwarded
/// at once, after a wait in the app's queue or on a retry; a first attempt that did not wait is forwarded within
/// microseconds of its arrival and takes the time then, without this allocation.
/// </summary>
internal sealed class RequestReceivedFeature(DateTimeOffset at)
{
    public DateTimeOffset At { get; } = at;
}
