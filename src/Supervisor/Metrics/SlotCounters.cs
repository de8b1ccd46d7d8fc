using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Metrics;

/// <summary>Requests sent to each worker slot of one app, whichever process holds it: one Interlocked increment each.</summary>
internal sealed class SlotCounters
{
    private readonly long[] _sentToSlot = new long[WorkerCount.Max];

    /// <summary>A request (or a retry) sent to worker slot <paramref name="workerId"/>.</summary>
    public void SentTo(int workerId)
    {
        if ((uint)workerId < (uint)_sentToSlot.Length)
        {
            Interlocked.Increment(ref _sentToSlot[workerId]);
        }
    }

    public long SentToSlot(int workerId) => (uint)workerId < (uint)_sentToSlot.Length ? Interlocked.Read(ref _sentToSlot[workerId]) : 0;
}
