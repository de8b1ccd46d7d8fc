namespace Cluster.Supervisor.Workers;

/// <summary>A supervisor process started to replace this one, until it has taken over (or failed to).</summary>
internal interface ISuccessor
{
    int Pid { get; }

    /// <summary>Its last lines of output (stdout and stderr, "out| " or "err| " first), for the answer to a failed upgrade.</summary>
    IReadOnlyList<string> RecentOutput { get; }

    /// <summary>This supervisor has released the pid file (and systemd's MAINPID): the new one may take its files.</summary>
    void GrantTakeOver();

    /// <summary>SIGTERM, then SIGKILL to it and every process it started if it has not exited within <paramref name="grace"/>; completes once it is gone.</summary>
    Task StopAsync(TimeSpan grace);

    /// <summary>SIGKILL to it and every process it started, at once (this supervisor is stopping).</summary>
    void Kill();
}
