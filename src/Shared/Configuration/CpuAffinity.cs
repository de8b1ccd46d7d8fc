namespace Cluster.Shared.Configuration;

/// <summary>worker.cpuAffinity: whether each worker is pinned to a CPU of its own (nginx's worker_cpu_affinity auto).</summary>
public enum CpuAffinity
{
    None,
    Auto,
}
