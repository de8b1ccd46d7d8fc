using System.Runtime.InteropServices;

namespace Cluster.Supervisor.Hosting.Systemd;

/// <summary>CLOCK_MONOTONIC, which systemd compares MONOTONIC_USEC= against (Stopwatch does not promise which clock it reads).</summary>
internal static partial class MonotonicClock
{
    private const int CLOCK_MONOTONIC = 1;

    public static long Microseconds()
    {
        if (ClockGetTime(CLOCK_MONOTONIC, out var now) != 0)
        {
            throw new InvalidOperationException($"clock_gettime(CLOCK_MONOTONIC) failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        return (now.Seconds * 1_000_000) + (now.Nanoseconds / 1_000);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime", SetLastError = true)]
    private static partial int ClockGetTime(int clock, out TimeSpec time);
}
