namespace Cluster.Supervisor.Workers;

/// <summary>
/// How busy one worker is, as its front end sees it, for the pool sizer: <see cref="Busy"/> is the requests in flight
/// to it (the proxy) or the client connections it holds (a shared socket, where no request passes through the
/// supervisor); <see cref="Served"/> counts what it was sent so far (the proxy; 0 with a shared socket, which cannot
/// see a connection come and go between two checks).
/// </summary>
internal sealed record WorkerActivity(long Busy, long Served);
