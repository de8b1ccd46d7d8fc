using System.Threading.Channels;

namespace Cluster.Supervisor.Logging;

/// <summary>
/// One `supervisor logs -f`: the lines it asked for from before it started (<see cref="Backlog"/>), then every new
/// matching line through a bounded queue that the ring fills without waiting. Its stream ends when the supervisor
/// stops (<see cref="Ended"/>) or when it fell too far behind and was dropped (<see cref="DroppedBehind"/>).
/// </summary>
internal sealed class LogFollower : IDisposable
{
    private readonly LogRing _ring;
    private readonly Channel<byte[]> _queue;
    private readonly TaskCompletionSource _dropped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile int _droppedBehind = -1;
    private volatile bool _ended;

    internal LogFollower(LogRing ring, LogLineFilter filter, IReadOnlyList<byte[]> backlog, int capacity)
    {
        _ring = ring;
        Filter = filter;
        Backlog = backlog;
        _queue = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public LogLineFilter Filter { get; }

    public IReadOnlyList<byte[]> Backlog { get; }

    /// <summary>New lines, in order; completes when the stream ends.</summary>
    public ChannelReader<byte[]> Lines => _queue.Reader;

    /// <summary>When dropped: how many lines it was behind; else null.</summary>
    public int? DroppedBehind => _droppedBehind < 0 ? null : _droppedBehind;

    /// <summary>Completes (on the thread pool, never on the thread that logged) when the follower is dropped.</summary>
    public Task WhenDropped => _dropped.Task;

    /// <summary>The supervisor is stopping: no line will follow the queued ones.</summary>
    public bool Ended => _ended;

    public void Dispose()
    {
        _ring.Remove(this);
        _queue.Writer.TryComplete();
    }

    /// <summary>False when the queue is full. Called under the ring's lock only.</summary>
    internal bool Offer(byte[] line) => _queue.Writer.TryWrite(line);

    internal void Drop(int behind)
    {
        _droppedBehind = behind;
        _queue.Writer.TryComplete();
        _dropped.TrySetResult();
    }

    internal void End()
    {
        _ended = true;
        _queue.Writer.TryComplete();
    }
}
