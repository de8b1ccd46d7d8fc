using System.Runtime.InteropServices;

namespace Cluster.Supervisor.Processes;

/// <summary>
/// The CPUs a process may run on (sched_getaffinity(2)), and pinning to one (sched_setaffinity(2)), for
/// worker.cpuAffinity auto. Honours what the supervisor was itself confined to (taskset, systemd's CPUAffinity=, a
/// container's cpuset): the workers are spread over those CPUs only.
/// </summary>
internal static partial class CpuSet
{
    // cpu_set_t as glibc defines it: 1024 CPUs.
    private const int MaskBytes = 128;

    /// <summary>The CPUs this process may run on, in order.</summary>
    public static IReadOnlyList<int> Allowed()
    {
        var mask = new byte[MaskBytes];
        if (GetAffinity(0, MaskBytes, mask) != 0)
        {
            return Enumerable.Range(0, Environment.ProcessorCount).ToList();
        }

        return Enumerable.Range(0, MaskBytes * 8).Where(cpu => (mask[cpu / 8] & (1 << (cpu % 8))) != 0).ToList();
    }

    /// <summary>Slot <paramref name="workerId"/>'s CPU: the allowed CPUs in turn, round robin.</summary>
    public static int ForSlot(int workerId, IReadOnlyList<int> allowed) => allowed[workerId % allowed.Count];

    /// <summary>Pins the calling thread (and the program it execs, and every thread that program starts) to one CPU.</summary>
    public static bool PinCallingThread(int cpu)
    {
        var mask = new byte[MaskBytes];
        mask[cpu / 8] = (byte)(1 << (cpu % 8));
        return SetAffinity(0, MaskBytes, mask) == 0;
    }

    [LibraryImport("libc", EntryPoint = "sched_getaffinity", SetLastError = true)]
    private static partial int GetAffinity(int pid, nint size, byte[] mask);

    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static partial int SetAffinity(int pid, nint size, byte[] mask);
}
