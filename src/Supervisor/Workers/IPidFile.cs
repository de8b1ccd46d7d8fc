namespace Cluster.Supervisor.Workers;

/// <summary>
/// The pid file: the supervisor's PID and its running workers', for the next start to find what a crashed supervisor
/// left. One supervisor owns it at a time; in an upgrade the old one releases it and the new one claims it.
/// </summary>
internal interface IPidFile
{
    /// <summary>Records the PIDs of the running workers (called whenever they change); written only while owned.</summary>
    void Record(IReadOnlyList<WorkerEndpoint> running);

    /// <summary>The next supervisor owns the file from now on (an upgrade's hand-over): nothing more is written or deleted.</summary>
    void Release();

    /// <summary>This supervisor owns the file (a takeover, or an upgrade that failed after the release): writes what was last recorded.</summary>
    void Claim();
}
