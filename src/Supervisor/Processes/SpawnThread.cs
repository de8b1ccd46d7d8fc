using System.Collections.Concurrent;

namespace Cluster.Supervisor.Processes;

/// <summary>
/// One long-lived thread that starts every worker. Linux sends the parent-death signal when the *thread* that forked
/// a child exits, not the process; thread-pool threads retire when idle, which would kill healthy workers at random.
/// </summary>
internal sealed class SpawnThread : IDisposable
{
    private readonly BlockingCollection<Action> _work = new();
    private readonly Thread _thread;

    public SpawnThread()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "worker-spawner" };
        _thread.Start();
    }

    /// <summary>Runs <paramref name="start"/> on the spawn thread and waits for it; exceptions are rethrown here.</summary>
    public T Invoke<T>(Func<T> start)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            try
            {
                result.SetResult(start());
            }
            catch (Exception e)
            {
                result.SetException(e);
            }
        });
        return result.Task.GetAwaiter().GetResult();
    }

    /// <summary>Ends the thread: call only once no worker it started is still running.</summary>
    public void Dispose()
    {
        _work.CompleteAdding();
        _thread.Join(TimeSpan.FromSeconds(5));
        _work.Dispose();
    }

    private void Run()
    {
        foreach (var start in _work.GetConsumingEnumerable())
        {
            start();
        }
    }
}
