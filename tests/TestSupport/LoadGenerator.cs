using NUnit.Framework;

namespace Cluster.TestSupport;

/// <summary>
/// Continuous requests from one or more concurrent clients until stopped (bounded in count): each answer recorded with
/// when it was sent, its status and the worker that gave it. <see cref="Get"/> is the usual HTTP load; <see cref="Start"/>
/// takes any request (a gRPC call).
/// </summary>
public sealed class LoadGenerator
{
    /// <summary>Requests one client sends at most; the bound of a run that nobody stops.</summary>
    private const int MaxRequestsPerClient = 50_000;

    private readonly List<LoadAnswer> _answers = [];
    private readonly CancellationTokenSource _stop = new();

    private LoadGenerator(int concurrency, Func<int, Task<LoadAnswer>> send) =>
        Completion = RunAllAsync(concurrency, send);

    public Task<List<LoadAnswer>> Completion { get; }

    /// <summary>
    /// Each client calls <paramref name="send"/> with its request number (0, 1, ...) until stopped, 2 ms apart; an
    /// exception it throws is recorded as a failed answer.
    /// </summary>
    public static LoadGenerator Start(int concurrency, Func<int, Task<LoadAnswer>> send) => new(concurrency, send);

    /// <summary>
    /// GET <paramref name="url"/>/ from <paramref name="concurrency"/> clients, half the requests on a kept-alive
    /// connection and half on new ones (or all on new ones). <paramref name="read"/> finds the worker in a 2xx body; by
    /// default the test workers' JSON (<c>id</c>, <c>pid</c>, <c>beforeReady</c>).
    /// </summary>
    public static LoadGenerator Get(string url, int concurrency = 1, bool newConnectionsOnly = false, TimeSpan? requestTimeout = null, Func<string, WorkerAnswer>? read = null)
    {
        var timeout = requestTimeout ?? Waits.Patience;
        var kept = new HttpClient { BaseAddress = new Uri(url), Timeout = timeout };
        var fresh = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { BaseAddress = new Uri(url), Timeout = timeout };
        read ??= WorkerAnswer.FromJson;
        var load = Start(concurrency, async i =>
        {
            var started = DateTime.UtcNow;
            using var response = await (!newConnectionsOnly && i % 2 == 0 ? kept : fresh).GetAsync("/", CancellationToken.None);
            var worker = response.IsSuccessStatusCode ? read(await response.Content.ReadAsStringAsync(CancellationToken.None)) : WorkerAnswer.None;
            return new LoadAnswer(started, (int)response.StatusCode, worker.Id, worker.Pid, null, worker.BeforeReady);
        });
        load.Completion.ContinueWith(
            _ =>
            {
                kept.Dispose();
                fresh.Dispose();
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return load;
    }

    public List<LoadAnswer> Snapshot()
    {
        lock (_answers)
        {
            return _answers.ToList();
        }
    }

    /// <summary>Waits, bounded by <see cref="Waits.Patience"/>, until <paramref name="count"/> answers match; fails the test if they do not.</summary>
    public async Task WaitForAnswersAsync(int count, Func<LoadAnswer, bool>? where = null, string? what = null)
    {
        var matching = 0;
        var arrived = await Eventually.TrueAsync(() => (matching = Snapshot().Count(where ?? (_ => true))) >= count, Waits.Patience);
        Assert.That(arrived, Is.True, $"{matching} of {count} answers {what} within {Waits.Patience.TotalSeconds:0}s");
    }

    public async Task<List<LoadAnswer>> StopAsync()
    {
        await _stop.CancelAsync();
        return await Completion;
    }

    private async Task<List<LoadAnswer>> RunAllAsync(int concurrency, Func<int, Task<LoadAnswer>> send)
    {
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => RunAsync(send))));
        return Snapshot();
    }

    private async Task RunAsync(Func<int, Task<LoadAnswer>> send)
    {
        for (var i = 0; i < MaxRequestsPerClient && !_stop.IsCancellationRequested; i++)
        {
            var started = DateTime.UtcNow;
            LoadAnswer answer;
            try
            {
                answer = await send(i);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                answer = new LoadAnswer(started, 0, -1, 0, e.GetBaseException().Message);
            }

            lock (_answers)
            {
                _answers.Add(answer);
            }

            await Task.Delay(2, CancellationToken.None);
        }
    }
}
