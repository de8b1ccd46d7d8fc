namespace Cluster.Shared.Configuration;

/// <summary>worker.cpuAffinity: whether each worker is pinned to a CPU of its own (nginx's worker_cpu_affinity auto).</summary>
public enum CpuAffinity
{
    /// <summary>The scheduler moves workers between CPUs as it likes.</summary>
    None,

    /// <summary>Slot i runs on the i-th CPU the supervisor may use (round robin when there are more slots than CPUs).</summary>
    Auto,
}
