using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.FrontEnd.Queueing;

/// <summary>
/// How an app's front end holds requests back: worker.maxConcurrency (null: no cap), queue.maxLength and
/// queue.timeout; and, for an app on demand (workers.min 0), that a request finding no worker at all waits for the
/// first one to start, up to its readiness timeout, rather than getting 503 at once as a fixed pool's would.
/// </summary>
internal sealed record QueueSettings(int? MaxConcurrency, int MaxLength, TimeSpan Timeout, bool WaitForFirstWorker, TimeSpan FirstWorkerTimeout)
{
    public static QueueSettings For(AppConfig app) => new(
        app.Worker.MaxConcurrency,
        app.Queue.MaxLength,
        app.Queue.Timeout,
        app.Workers.Range?.OnDemand == true,
        app.Worker.Readiness.Timeout);
}
