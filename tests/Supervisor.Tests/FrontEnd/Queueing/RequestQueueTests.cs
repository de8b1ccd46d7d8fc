using System.Text.Json;
using Cluster.Shared.Configuration;
using Cluster.Supervisor.FrontEnd;
using Cluster.Supervisor.FrontEnd.Queueing;
using Cluster.Supervisor.Workers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Cluster.Supervisor.Tests.FrontEnd.Queueing;

/// <summary>The queue in front of busy workers, on the manual clock: the cap kept, order kept, 503 when full, 504 at the timeout, into new workers, on demand.</summary>
public sealed class RequestQueueTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private static readonly WorkerEndpoint Zero = new("shop", 0, 1000, 5000);
    private static readonly WorkerEndpoint One = new("shop", 1, 1001, 5001);
    private static readonly WorkerEndpoint Two = new("shop", 2, 1002, 5002);
    private readonly FakeTimeProvider _time = new();

    [Test]
    public async Task Without_a_cap_a_request_goes_to_a_ready_worker_at_once_counted_in_there()
    {
        var (pool, queue) = Queue(cap: null, [Zero]);

        var admission = await queue.EnterAsync(CancellationToken.None);

        Assert.That((admission.Outcome, admission.Destination?.Endpoint, admission.Waited), Is.EqualTo((QueueOutcome.Admitted, Zero, TimeSpan.Zero)));
        Assert.That((pool.InFlight(Zero), queue.Length), Is.EqualTo((1L, 0)));
    }

    [Test]
    public async Task At_the_cap_a_request_waits_and_gets_the_worker_that_comes_free()
    {
        var (pool, queue) = Queue(cap: 1, [Zero, One]);
        var first = await queue.EnterAsync(CancellationToken.None);
        var second = await queue.EnterAsync(CancellationToken.None);

        var third = queue.EnterAsync(CancellationToken.None).AsTask();
        Assert.That((third.IsCompleted, queue.Length), Is.EqualTo((false, 1)));
        _time.Advance(TimeSpan.FromSeconds(2));
        End(queue, second.Destination!);

        var admitted = await third;
        Assert.That((admitted.Outcome, admitted.Destination, admitted.Waited), Is.EqualTo((QueueOutcome.Admitted, second.Destination, TimeSpan.FromSeconds(2))));
        Assert.That((pool.InFlight(Zero), pool.InFlight(One), queue.Length), Is.EqualTo((1L, 1L, 0)), "never more than the cap in flight");
        Assert.That(first.Destination, Is.Not.EqualTo(second.Destination));
    }

    [Test]
    public async Task Waiting_requests_get_their_workers_in_arrival_order()
    {
        var (_, queue) = Queue(cap: 1, [Zero]);
        var running = (await queue.EnterAsync(CancellationToken.None)).Destination!;
        var waiting = Enumerable.Range(0, 5).Select(_ => queue.EnterAsync(CancellationToken.None).AsTask()).ToList();

        for (var i = 0; i < waiting.Count; i++)
        {
            End(queue, running);

            // Had a later request been handed the worker, this one would never be admitted (bounded wait).
            running = (await waiting[i].WaitAsync(TimeSpan.FromSeconds(30))).Destination!;
            Assert.That(waiting.Skip(i + 1).Select(w => w.IsCompleted), Is.All.False, $"after {i + 1} freed, only the first {i + 1} admitted");
            Assert.That(queue.Length, Is.EqualTo(waiting.Count - i - 1));
        }
    }

    [Test]
    public async Task A_request_beyond_max_length_is_refused_at_once_with_503_retry_after_and_the_json_body()
    {
        var (_, queue) = Queue(cap: 1, [Zero], maxLength: 2);
        await queue.EnterAsync(CancellationToken.None);
        var waiting = new[] { queue.EnterAsync(CancellationToken.None).AsTask(), queue.EnterAsync(CancellationToken.None).AsTask() };

        var refused = await queue.EnterAsync(CancellationToken.None);

        Assert.That((refused.Outcome, refused.Destination, queue.Length), Is.EqualTo((QueueOutcome.Full, (WorkerDestination?)null, 2)));
        var (status, retryAfter, body) = await AnswerAsync(refused.Outcome, queue.Settings);
        Assert.That((status, retryAfter), Is.EqualTo((503, "1")));
        Assert.That(body, Is.EqualTo("""{"error":"queue_full","detail":"Every worker is busy and 2 requests are waiting already (queue.maxLength); try again shortly.","status":503}"""));
        Assert.That(waiting.Select(w => w.IsCompleted), Is.All.False);
    }

    [Test]
    public async Task A_request_waiting_queue_timeout_gets_504_and_leaves_the_queue()
    {
        var (_, queue) = Queue(cap: 1, [Zero]);
        await queue.EnterAsync(CancellationToken.None);
        var waiting = queue.EnterAsync(CancellationToken.None).AsTask();

        _time.Advance(Timeout - TimeSpan.FromMilliseconds(1));
        Assert.That(waiting.IsCompleted, Is.False);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var timedOut = await waiting;

        Assert.That((timedOut.Outcome, timedOut.Waited, queue.Length), Is.EqualTo((QueueOutcome.TimedOut, Timeout, 0)));
        var (status, retryAfter, body) = await AnswerAsync(timedOut.Outcome, queue.Settings);
        Assert.That((status, retryAfter), Is.EqualTo((504, (string?)null)));
        Assert.That(body, Is.EqualTo("""{"error":"queue_timeout","detail":"No worker was free within 5s (queue.timeout).","status":504}"""));
    }

    [Test]
    public async Task The_queue_drains_into_new_workers_as_they_are_published()
    {
        var (pool, queue) = Queue(cap: 1, [Zero]);
        await queue.EnterAsync(CancellationToken.None);
        var waiting = new[] { queue.EnterAsync(CancellationToken.None).AsTask(), queue.EnterAsync(CancellationToken.None).AsTask() };

        pool.Publish([Zero, One, Two]);
        queue.Drain();

        var workers = (await Task.WhenAll(waiting)).Select(a => a.Destination!.Endpoint).ToList();
        Assert.That(workers, Is.EquivalentTo(new[] { One, Two }));
        Assert.That(queue.Length, Is.EqualTo(0));
    }

    [Test]
    public async Task A_client_that_goes_away_leaves_the_queue_without_taking_a_worker()
    {
        var (pool, queue) = Queue(cap: 1, [Zero]);
        var running = (await queue.EnterAsync(CancellationToken.None)).Destination!;
        using var client = new CancellationTokenSource();
        var gone = queue.EnterAsync(client.Token).AsTask();
        var next = queue.EnterAsync(CancellationToken.None).AsTask();

        await client.CancelAsync();
        Assert.That((await gone).Outcome, Is.EqualTo(QueueOutcome.Canceled));
        End(queue, running);

        Assert.That((await next).Destination?.Endpoint, Is.EqualTo(Zero));
        Assert.That((pool.InFlight(Zero), queue.Length), Is.EqualTo((1L, 0)));
    }

    [Test]
    public async Task A_fixed_pool_with_no_worker_ready_answers_503_at_once_as_without_a_queue()
    {
        var (_, queue) = Queue(cap: null, []);

        var refused = await queue.EnterAsync(CancellationToken.None);

        Assert.That((refused.Outcome, queue.Length), Is.EqualTo((QueueOutcome.NoWorker, 0)));
        Assert.That((await AnswerAsync(refused.Outcome, queue.Settings)).Status, Is.EqualTo(503));
    }

    [Test]
    public async Task On_demand_the_first_request_waits_for_the_first_worker_up_to_the_readiness_timeout()
    {
        var (pool, queue) = Queue(cap: null, [], onDemand: true);
        var first = queue.EnterAsync(CancellationToken.None).AsTask();
        Assert.That((first.IsCompleted, queue.Length), Is.EqualTo((false, 1)), "it waits, and the sizer sees 1 queued");

        _time.Advance(TimeSpan.FromSeconds(8));
        pool.Publish([Zero]);
        queue.Drain();
        Assert.That(((await first).Outcome, (await first).Waited), Is.EqualTo((QueueOutcome.Admitted, TimeSpan.FromSeconds(8))), "longer than queue.timeout: the readiness timeout bounds a first start");

        pool.Publish([]);
        var late = queue.EnterAsync(CancellationToken.None).AsTask();
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.That((await late).Outcome, Is.EqualTo(QueueOutcome.NoWorker), "no worker ready within the readiness timeout: 503");
    }

    [Test]
    public async Task Many_requests_at_once_never_put_more_than_the_cap_on_a_worker()
    {
        var (pool, queue) = Queue(cap: 1, [Zero, One], maxLength: 1000);
        long most = 0;

        async Task OneRequestAsync()
        {
            await Task.Yield();
            var admission = await queue.EnterAsync(CancellationToken.None);
            most = Math.Max(most, Math.Max(pool.InFlight(Zero), pool.InFlight(One)));
            await Task.Yield();
            End(queue, admission.Destination!);
        }

        await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(OneRequestAsync))).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.That(most, Is.EqualTo(1));
        Assert.That((pool.InFlight(Zero), pool.InFlight(One), queue.Length), Is.EqualTo((0L, 0L, 0)));
        Assert.That(pool.Served(Zero) + pool.Served(One), Is.EqualTo(200));
    }

    [Test]
    public async Task The_load_balancer_health_path_is_answered_before_the_queue_even_when_it_is_full()
    {
        var (pool, queue) = Queue(cap: 1, [Zero], maxLength: 0);
        await queue.EnterAsync(CancellationToken.None);
        var health = new LoadBalancerHealthEndpoint(new LoadBalancerHealthConfig { Path = "/_cluster/health" }, () => pool.Available);
        var context = new DefaultHttpContext { Request = { Path = "/_cluster/health", Method = "GET" }, Response = { Body = new MemoryStream() } };
        var queued = false;

        // As the front end orders them: the health endpoint, then the request path that enters the queue.
        await health.InvokeAsync(context, () =>
        {
            queued = true;
            return queue.EnterAsync(context.RequestAborted).AsTask();
        });

        Assert.That((context.Response.StatusCode, queued, queue.Length), Is.EqualTo((200, false, 0)));
    }

    private (WorkerPool Pool, RequestQueue Queue) Queue(int? cap, WorkerEndpoint[] ready, int maxLength = 100, bool onDemand = false)
    {
        var pool = new WorkerPool(LoadBalancingPolicy.RoundRobin);
        pool.Publish(ready);
        return (pool, new RequestQueue(pool, new QueueSettings(cap, maxLength, Timeout, onDemand, FirstWorkerTimeout: TimeSpan.FromSeconds(10)), _time));
    }

    /// <summary>What the proxy handler does when a forwarded request ends: the worker's count, then the queue.</summary>
    private static void End(RequestQueue queue, WorkerDestination destination)
    {
        destination.Traffic.End();
        queue.Drain();
    }

    private static async Task<(int Status, string? RetryAfter, string Body)> AnswerAsync(QueueOutcome outcome, QueueSettings settings)
    {
        var context = new DefaultHttpContext { Response = { Body = new MemoryStream() } };
        await QueueAnswers.WriteAsync(context, outcome, settings);
        context.Response.Body.Position = 0;
        var retryAfter = context.Response.Headers.RetryAfter.ToString();
        return (context.Response.StatusCode, retryAfter.Length == 0 ? null : retryAfter, await new StreamReader(context.Response.Body).ReadToEndAsync());
    }
}
