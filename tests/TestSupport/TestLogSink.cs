using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace Cluster.TestSupport;

/// <summary>
/// A Serilog destination for tests: it keeps every event it is given (<see cref="Events"/>, in order) and hands each
/// to <see cref="Then"/>; while held it blocks its writer in Emit, as a stalled terminal or disk would, until
/// <see cref="Release"/> (<see cref="Entered"/> says a writer got there); with <see cref="Throws"/> it fails every write.
/// </summary>
/// <param name="held">Start held: Emit blocks until <see cref="Release"/>.</param>
/// <param name="keep">Keep the events (off where a test measures the memory of what it forwards).</param>
public sealed class TestLogSink(bool held = false, bool keep = true) : ILogEventSink, IDisposable
{
    private readonly ManualResetEventSlim _open = new(initialState: !held);
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public ManualResetEventSlim Entered { get; } = new();

    public IReadOnlyList<LogEvent> Events => [.. _events];

    /// <summary>Called with each event once it is written (e.g. to forward it to the object under test).</summary>
    public Action<LogEvent>? Then { get; set; }

    /// <summary>When set, every Emit throws it (a destination that fails).</summary>
    public Exception? Throws { get; init; }

    public void Release() => _open.Set();

    public void Emit(LogEvent logEvent)
    {
        Entered.Set();
        if (!_open.Wait(Waits.Patience))
        {
            throw new TimeoutException("the test never released the sink");
        }

        if (Throws is not null)
        {
            throw Throws;
        }

        if (keep)
        {
            _events.Enqueue(logEvent);
        }

        Then?.Invoke(logEvent);
    }

    public void Dispose()
    {
        _open.Dispose();
        Entered.Dispose();
    }
}
