using System.Runtime.InteropServices;

namespace Cluster.Supervisor.Hosting;

/// <summary>
/// glibc keeps memory that native code frees (the runtime's JIT, the per-thread arenas of thread-pool threads that come
/// and go) for reuse instead of giving it back; idle, that showed as 0.3-0.5 MB a minute of growth in bench/memory.sh.
/// malloc_trim(3) gives the free part back.
/// </summary>
internal static partial class NativeHeap
{
    private static bool s_unavailable;

    /// <summary>Returns false where the C library has no malloc_trim (musl); the call is then never tried again.</summary>
    public static bool Trim()
    {
        if (s_unavailable)
        {
            return false;
        }

        try
        {
            // 1 when memory was returned, 0 when there was none to return: both fine.
            _ = MallocTrim(0);
            return true;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            s_unavailable = true;
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
