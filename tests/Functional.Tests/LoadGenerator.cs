using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Cluster.Functional.Tests;

/// <summary>
/// Continuous GET / through the front end from one or more concurrent clients, each sending half its requests on a
/// kept-alive connection and half on new ones, until stopped (bounded in count). Records each answer's status and
/// worker id/pid.
/// </summary>
internal sealed class LoadGenerator
{
    private readonly List<LoadAnswer> _answers = [];
    private readonly CancellationTokenSource _stop = new();

    private LoadGenerator(SupervisorHarness supervisor, TimeSpan requestTimeout, int concurrency) =>
        Completion = RunAllAsync(supervisor, requestTimeout, concurrency);

    public Task<List<LoadAnswer>> Completion { get; }

    public static LoadGenerator Start(SupervisorHarness supervisor, TimeSpan? requestTimeout = null, int concurrency = 1) =>
        new(supervisor, requestTimeout ?? TimeSpan.FromSeconds(10), concurrency);

    public List<LoadAnswer> Snapshot()
    {
        lock (_answers)
        {
            return _answers.ToList();
        }
    }

    public async Task<List<LoadAnswer>> StopAsync()
    {
        await _stop.CancelAsync();
        return await Completion;
    }

    private async Task<List<LoadAnswer>> RunAllAsync(SupervisorHarness supervisor, TimeSpan requestTimeout, int concurrency)
    {
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => RunAsync(supervisor, requestTimeout)));
        return Snapshot();
    }

    private async Task RunAsync(SupervisorHarness supervisor, TimeSpan requestTimeout)
    {
        using var kept = new HttpClient { BaseAddress = new Uri(supervisor.Url), Timeout = requestTimeout };
        using var fresh = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { BaseAddress = new Uri(supervisor.Url), Timeout = requestTimeout };
        for (var i = 0; i < 50_000 && !_stop.IsCancellationRequested; i++)
        {
            var started = DateTime.UtcNow;
            LoadAnswer answer;
            try
            {
                using var response = await (i % 2 == 0 ? kept : fresh).GetAsync("/", CancellationToken.None);
                var body = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>(CancellationToken.None) : null;
                answer = new LoadAnswer(started, (int)response.StatusCode, body is null ? -1 : (int)body["id"]!, body is null ? 0 : (int)body["pid"]!, null);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
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

internal sealed record LoadAnswer(DateTime Started, int Status, int WorkerId, int Pid, string? Error)
{
    public bool Failed => Status != 200;
}
