using Serilog.Core;
using Serilog.Events;

namespace Cluster.Supervisor.Logging;

/// <summary>
/// The supervisor's recent log in memory (log.memoryLines lines, the oldest overwritten), for `supervisor logs`
/// whether or not log files are configured, and the live feed of `logs -f` followers. A Serilog sink, so it sees
/// every event the console does; SupervisorLogging puts it behind a queue of its own like the other destinations, so
/// the lines are rendered on that queue's thread, not on the one that logs. Emit never waits: each follower has a
/// bounded queue, and a follower whose queue is full is dropped (its stream ends with a note) rather than holding up
/// the ring's queue, and with it every line behind, or growing without bound.
/// </summary>
internal sealed class LogRing : ILogEventSink
{
    /// <summary>Lines a follower may fall behind before it is dropped.</summary>
    public const int DefaultFollowerBacklog = 2048;

    private readonly Lock _lock = new();
    private readonly RingLine[] _lines;
    private readonly int _followerBacklog;
    private readonly List<LogFollower> _followers = [];
    private long _written;
    private int _followerCount;
    private bool _completed;

    public LogRing(int capacity, int followerBacklog = DefaultFollowerBacklog)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(followerBacklog);
        _lines = new RingLine[capacity];
        _followerBacklog = followerBacklog;
    }

    public int Capacity => _lines.Length;

    public int Followers => Volatile.Read(ref _followerCount);

    /// <summary>Whether a line logged now would be kept or read: false with log.memoryLines 0 and no follower.</summary>
    public bool Wanted => _lines.Length > 0 || Volatile.Read(ref _followerCount) > 0;

    public void Emit(LogEvent logEvent)
    {
        // Nothing keeps or reads the line (log.memoryLines 0, no follower): not even rendered. A follower that
        // starts meanwhile begins after this line.
        if (!Wanted)
        {
            return;
        }

        Add(LogWire.Render(logEvent));
    }

    /// <summary>Keeps a rendered line and offers it to every follower that wants it.</summary>
    public void Add(RingLine line)
    {
        lock (_lock)
        {
            if (_lines.Length > 0)
            {
                _lines[_written % _lines.Length] = line;
            }

            _written++;
            for (var i = _followers.Count - 1; i >= 0; i--)
            {
                var follower = _followers[i];
                if (follower.Filter.Matches(line) && !follower.Offer(line.Wire))
                {
                    _followers.RemoveAt(i);
                    Volatile.Write(ref _followerCount, _followers.Count);
                    follower.Drop(_followerBacklog);
                }
            }
        }
    }

    /// <summary>The last <paramref name="count"/> kept lines that match, oldest first.</summary>
    public IReadOnlyList<byte[]> Recent(int count, LogLineFilter filter)
    {
        lock (_lock)
        {
            return RecentLocked(count, filter);
        }
    }

    /// <summary>
    /// The last <paramref name="count"/> matching lines and, from the same instant, every later one: nothing is missed
    /// or sent twice between the two. Dispose the follower to stop.
    /// </summary>
    public LogFollower Follow(int count, LogLineFilter filter)
    {
        lock (_lock)
        {
            var follower = new LogFollower(this, filter, RecentLocked(count, filter), _followerBacklog);
            if (_completed)
            {
                follower.End();
            }
            else
            {
                _followers.Add(follower);
                Volatile.Write(ref _followerCount, _followers.Count);
            }

            return follower;
        }
    }

    /// <summary>The supervisor is stopping: every follower's stream ends after the lines it has been given.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            _completed = true;
            foreach (var follower in _followers)
            {
                follower.End();
            }

            _followers.Clear();
            Volatile.Write(ref _followerCount, 0);
        }
    }

    internal void Remove(LogFollower follower)
    {
        lock (_lock)
        {
            _followers.Remove(follower);
            Volatile.Write(ref _followerCount, _followers.Count);
        }
    }

    private List<byte[]> RecentLocked(int count, LogLineFilter filter)
    {
        var found = new List<byte[]>(Math.Min(Math.Max(count, 0), 256));
        var kept = (int)Math.Min(_written, _lines.Length);
        for (var back = 1; back <= kept && found.Count < count; back++)
        {
            var line = _lines[(_written - back) % _lines.Length];
            if (filter.Matches(line))
            {
                found.Add(line.Wire);
            }
        }

        found.Reverse();
        return found;
    }
}
