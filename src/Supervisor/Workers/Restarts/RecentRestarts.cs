namespace Cluster.Supervisor.Workers.Restarts;

/// <summary>
/// Restarts counted per minute for the last hour: 60 counters, so a slot restarting every 100 ms costs no more memory
/// than one restarting once. `status` shows the sum, so a flapping slot stands out.
/// </summary>
internal sealed class RecentRestarts
{
    private const int Minutes = 60;

    private readonly long[] _minute = Enumerable.Repeat(long.MinValue, Minutes).ToArray();
    private readonly int[] _count = new int[Minutes];

    public void Record(DateTimeOffset now)
    {
        var minute = MinuteOf(now);
        var slot = (int)(minute % Minutes);
        if (_minute[slot] != minute)
        {
            _minute[slot] = minute;
            _count[slot] = 0;
        }

        _count[slot]++;
    }

    /// <summary>Restarts in the current minute and the 59 before it.</summary>
    public int LastHour(DateTimeOffset now)
    {
        var minute = MinuteOf(now);
        var total = 0;
        for (var slot = 0; slot < Minutes; slot++)
        {
            if (_minute[slot] > minute - Minutes && _minute[slot] <= minute)
            {
                total += _count[slot];
            }
        }

        return total;
    }

    private static long MinuteOf(DateTimeOffset time) => time.ToUnixTimeSeconds() / 60;
}
