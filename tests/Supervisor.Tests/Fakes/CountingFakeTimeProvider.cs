using Microsoft.Extensions.Time.Testing;

namespace Cluster.Supervisor.Tests.Fakes;

/// <summary>
/// <see cref="FakeTimeProvider"/> that also counts the timers created from it and not disposed yet, so a test can prove
/// that their owner released every one (FakeTimeProvider keeps its list of timers to itself).
/// </summary>
public sealed class CountingFakeTimeProvider : FakeTimeProvider
{
    private int _undisposed;

    public int UndisposedTimers => Volatile.Read(ref _undisposed);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Interlocked.Increment(ref _undisposed);
        return new CountedTimer(base.CreateTimer(callback, state, dueTime, period), this);
    }

    private sealed class CountedTimer(ITimer inner, CountingFakeTimeProvider owner) : ITimer
    {
        private int _disposed;

        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(dueTime, period);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref owner._undisposed);
            }

            inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
