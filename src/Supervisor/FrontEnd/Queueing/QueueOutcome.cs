namespace Cluster.Supervisor.FrontEnd.Queueing;

/// <summary>How a request left the queue.</summary>
internal enum QueueOutcome
{
    /// <summary>It has a worker, its request already counted in there.</summary>
    Admitted,

    /// <summary>queue.maxLength requests were waiting already: 503 with Retry-After.</summary>
    Full,

    /// <summary>No worker came free within queue.timeout: 504.</summary>
    TimedOut,

    /// <summary>No worker is ready at all (none started in time, for an app on demand): 503, as without a queue.</summary>
    NoWorker,

    /// <summary>The client went away while it waited.</summary>
    Canceled,
}
