using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Metrics;

/// <summary>
/// One app's request counts: sent to each of its worker slots (whichever process holds it), and answered by status
/// class. One Interlocked increment each, no lock.
/// </summary>
internal sealed class SlotCounters
{
    private readonly long[] _sentToSlot = new long[WorkerCount.Max];
    private readonly long[] _byStatusClass = new long[5];

    /// <summary>A request routed to this app answered (by a worker or by the front end for it) with <paramref name="status"/>.</summary>
    public void Answered(int status) => Interlocked.Increment(ref _byStatusClass[Math.Clamp(status / 100, 1, 5) - 1]);

    /// <summary>Requests answered with a status of <paramref name="statusClass"/>xx (1 to 5).</summary>
    public long AnsweredWith(int statusClass) => Interlocked.Read(ref _byStatusClass[statusClass - 1]);

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
