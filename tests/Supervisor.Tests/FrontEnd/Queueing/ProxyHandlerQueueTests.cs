using System.Text.Json;
using System.Threading.Channels;
using Cluster.Shared.Configuration;
using Cluster.Supervisor.FrontEnd;
using Cluster.Supervisor.FrontEnd.Queueing;
using Cluster.Supervisor.FrontEnd.Routing;
using Cluster.Supervisor.Metrics;
using Cluster.Supervisor.Workers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Yarp.ReverseProxy.Forwarder;

namespace Cluster.Supervisor.Tests.FrontEnd.Queueing;

/// <summary>
/// The proxy handler with the queue wired in, on the manual clock and a forwarder that answers when the test says: the
/// cap kept on the request path, the queue drained as forwarded requests end or are upgraded, the refusals answered and
/// counted, X-Request-Start as the arrival, and the retry that takes a worker below the cap or none.
/// </summary>
public sealed class ProxyHandlerQueueTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly WorkerEndpoint Zero = new("shop", 0, 1000, 5000);
    private static readonly WorkerEndpoint One = new("shop", 1, 1001, 5001);
    private FakeTimeProvider _time = null!;
    private FrontEndCounters _counters = null!;
    private FakeForwarder _forwarder = null!;

    [SetUp]
    public void FreshClockCountersAndForwarder()
    {
        _time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-07T06:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        _counters = new FrontEndCounters();
        _forwarder = new FakeForwarder();
    }

    [Test]
    public async Task Requests_beyond_the_cap_wait_and_each_is_forwarded_as_the_one_before_it_ends()
    {
        var (handler, app) = Handler(cap: 1, [Zero]);

        var requests = Enumerable.Range(0, 3).Select(_ => handler.InvokeAsync(Request(), app)).ToList();
        for (var i = 0; i < 3; i++)
        {
            var call = await _forwarder.NextAsync();
            Assert.That((call.Prefix, call.InFlightThere(app), app.Queue.Length), Is.EqualTo(("http://127.0.0.1:5000/", 1L, 2 - i)), $"request {i}: alone on the worker, the rest waiting");
            _time.Advance(TimeSpan.FromSeconds(1));
            call.Finish(ForwarderError.None);
            await requests[i].WaitAsync(Bound);
        }

        Assert.That((app.Pool.InFlight(Zero), app.Pool.Served(Zero)), Is.EqualTo((0L, 3L)));
        var waits = _counters.ForQueue("shop").Wait.Snapshot();
        Assert.That((waits.Count, waits.Sum), Is.EqualTo((2L, 3.0)), "the two that waited, 1 s and 2 s, are in the wait histogram; the first is not");
    }

    [Test]
    public async Task A_request_that_waited_carries_its_arrival_time_as_X_Request_Start()
    {
        var (handler, app) = Handler(cap: 1, [Zero], requestStart: true);
        var first = handler.InvokeAsync(Request(), app);
        var running = await _forwarder.NextAsync();
        var arrived = _time.GetUtcNow();
        var second = handler.InvokeAsync(Request(), app);

        _time.Advance(TimeSpan.FromSeconds(3));
        running.Finish(ForwarderError.None);
        var waited = await _forwarder.NextAsync();
        waited.Finish(ForwarderError.None);
        await Task.WhenAll(first, second).WaitAsync(Bound);

        Assert.That(running.ReceivedAt, Is.Null, "forwarded at once: the forwarder takes the time then");
        Assert.That(waited.ReceivedAt, Is.EqualTo(arrived), "3s in the queue, and stamped with its arrival");
    }

    [Test]
    public async Task A_full_queue_answers_503_at_once_and_a_wait_past_the_timeout_504_each_counted()
    {
        var (handler, app) = Handler(cap: 1, [Zero], maxLength: 1, timeout: TimeSpan.FromSeconds(5));
        var first = handler.InvokeAsync(Request(), app);
        var running = await _forwarder.NextAsync();
        var waitingContext = Request();
        var waiting = handler.InvokeAsync(waitingContext, app);
        var fullContext = Request();

        await handler.InvokeAsync(fullContext, app).WaitAsync(Bound);
        Assert.That((fullContext.Response.StatusCode, fullContext.Response.Headers.RetryAfter.ToString(), Error(fullContext)), Is.EqualTo((503, "1", "queue_full")));
        _time.Advance(TimeSpan.FromSeconds(5));
        await waiting.WaitAsync(Bound);
        running.Finish(ForwarderError.None);
        await first.WaitAsync(Bound);

        Assert.That((waitingContext.Response.StatusCode, Error(waitingContext)), Is.EqualTo((504, "queue_timeout")));
        var counts = _counters.ForQueue("shop");
        Assert.That((counts.FullRequests, counts.TimedOutRequests, counts.Wait.Snapshot().Count, counts.Wait.Snapshot().Sum), Is.EqualTo((1L, 1L, 1L, 5.0)));
        Assert.That((_counters.AnsweredWith(5), _counters.AnsweredWith(2)), Is.EqualTo((2L, 1L)));
        Assert.That((app.Pool.InFlight(Zero), app.Pool.Served(Zero), _forwarder.Calls), Is.EqualTo((0L, 1L, 1)), "the refused requests never reached the worker");
    }

    [Test]
    public async Task Without_a_cap_and_no_worker_ready_the_answer_is_503_no_worker_ready_at_once()
    {
        var (handler, app) = Handler(cap: null, []);
        var context = Request();

        await handler.InvokeAsync(context, app).WaitAsync(Bound);

        Assert.That((context.Response.StatusCode, Error(context), app.Queue.Length), Is.EqualTo((503, "no_worker_ready", 0)));
        Assert.That(_counters.NoWorkerReadyRequests, Is.EqualTo(1));
    }

    [Test]
    public async Task The_retry_takes_another_worker_below_the_cap_at_once()
    {
        var (handler, app) = Handler(cap: 1, [Zero, One]);
        var request = handler.InvokeAsync(Request(), app);
        var failed = await _forwarder.NextAsync();
        failed.Finish(ForwarderError.Request);
        var retried = await _forwarder.NextAsync();

        Assert.That(retried.Prefix, Is.Not.EqualTo(failed.Prefix));
        Assert.That(retried.InFlightThere(app), Is.EqualTo(1));
        retried.Finish(ForwarderError.None);
        await request.WaitAsync(Bound);
        Assert.That((_counters.Retries, app.Pool.InFlight(Zero), app.Pool.InFlight(One)), Is.EqualTo((1L, 0L, 0L)));
    }

    [Test]
    public async Task The_retry_is_not_made_when_every_other_worker_is_at_its_cap_and_it_does_not_queue()
    {
        var (handler, app) = Handler(cap: 1, [One]);
        // Worker 1 busy with a request of its own; then worker 0 joins, free.
        var busy = handler.InvokeAsync(Request(), app);
        var onOne = await _forwarder.NextAsync();
        app.Pool.Publish([Zero, One]);
        var context = Request();
        var request = handler.InvokeAsync(context, app);
        var failed = await _forwarder.NextAsync();

        Assert.That(failed.Prefix, Is.EqualTo("http://127.0.0.1:5000/"));
        failed.Finish(ForwarderError.Request);
        await request.WaitAsync(Bound);

        Assert.That((context.Response.StatusCode, Error(context)), Is.EqualTo((502, "bad_gateway")));
        Assert.That((_counters.Retries, _forwarder.Calls, app.Queue.Length), Is.EqualTo((0L, 2, 0)));
        onOne.Finish(ForwarderError.None);
        await busy.WaitAsync(Bound);
    }

    [Test]
    public async Task An_upgraded_connection_frees_its_workers_place_for_the_next_request_waiting()
    {
        var (handler, app) = Handler(cap: 1, [Zero]);
        var webSocketContext = Request();
        webSocketContext.Features.Set<IHttpUpgradeFeature>(new ServerUpgrade());
        var webSocket = handler.InvokeAsync(webSocketContext, app);
        var relayed = await _forwarder.NextAsync();
        var next = handler.InvokeAsync(Request(), app);
        Assert.That(app.Queue.Length, Is.EqualTo(1));

        // What YARP does once the worker has answered 101: upgrade the client's connection.
        await relayed.Context.Features.Get<IHttpUpgradeFeature>()!.UpgradeAsync();
        var served = await _forwarder.NextAsync();

        Assert.That((served.Prefix, app.Queue.Length, app.Pool.InFlight(Zero)), Is.EqualTo(("http://127.0.0.1:5000/", 0, 1L)), "the WebSocket still open, the next request on the worker");
        served.Finish(ForwarderError.None);
        relayed.Finish(ForwarderError.None);
        await Task.WhenAll(webSocket, next).WaitAsync(Bound);
        Assert.That(app.Pool.InFlight(Zero), Is.Zero);
    }

    private (ProxyHandler Handler, AppTarget App) Handler(int? cap, WorkerEndpoint[] ready, int maxLength = 100, TimeSpan? timeout = null, bool requestStart = false)
    {
        var settings = new QueueSettings(cap, maxLength, timeout ?? TimeSpan.FromSeconds(30), WaitForFirstWorker: false, FirstWorkerTimeout: TimeSpan.FromSeconds(60));
        var app = new AppTarget("shop", LoadBalancingPolicy.RoundRobin, settings, _counters.ForApp("shop"), _counters.ForQueue("shop"), _time);
        app.Configure(new ProxyConfig { Retry = true, RequestTimeout = TimeSpan.FromSeconds(30), RequestStartHeader = requestStart }, WorkerProtocol.Http1, _time);
        app.Pool.Publish(ready);
        var handler = new ProxyHandler(new RequestGate(), _forwarder, new HttpMessageInvoker(new SocketsHttpHandler()), NullLogger.Instance, (_, _) => { }, _counters, recordWorker: false);
        return (handler, app);
    }

    private static DefaultHttpContext Request() => new() { Request = { Method = "GET", Path = "/" }, Response = { Body = new MemoryStream() } };

    private static string? Error(DefaultHttpContext context) =>
        JsonDocument.Parse(((MemoryStream)context.Response.Body).ToArray()).RootElement.GetProperty("error").GetString();

    /// <summary>A forwarder whose every call waits for the test to finish it.</summary>
    private sealed class FakeForwarder : IHttpForwarder
    {
        private readonly Channel<Call> _calls = Channel.CreateUnbounded<Call>();
        private int _count;

        public int Calls => Volatile.Read(ref _count);

        public async Task<Call> NextAsync() => await _calls.Reader.ReadAsync().AsTask().WaitAsync(Bound);

        public ValueTask<ForwarderError> SendAsync(HttpContext context, string destinationPrefix, HttpMessageInvoker httpClient, ForwarderRequestConfig requestConfig, HttpTransformer transformer)
        {
            Interlocked.Increment(ref _count);
            var call = new Call(context, destinationPrefix, context.Features.Get<RequestReceivedFeature>()?.At);
            _calls.Writer.TryWrite(call);
            return new ValueTask<ForwarderError>(call.Result.Task);
        }

        public ValueTask<ForwarderError> SendAsync(HttpContext context, string destinationPrefix, HttpMessageInvoker httpClient, ForwarderRequestConfig requestConfig, HttpTransformer transformer, CancellationToken cancellationToken) =>
            SendAsync(context, destinationPrefix, httpClient, requestConfig, transformer);
    }

    /// <summary>One forwarded attempt: where to, when the request was received (null: now), and its end.</summary>
    private sealed record Call(HttpContext Context, string Prefix, DateTimeOffset? ReceivedAt)
    {
        public TaskCompletionSource<ForwarderError> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Finish(ForwarderError error) => Result.SetResult(error);

        /// <summary>Requests in flight to the worker this call went to, this one counted.</summary>
        public long InFlightThere(AppTarget app) => app.Pool.InFlight(Prefix.EndsWith(":5000/", StringComparison.Ordinal) ? Zero : One);
    }

    private sealed class ServerUpgrade : IHttpUpgradeFeature
    {
        public bool IsUpgradableRequest => true;

        public Task<Stream> UpgradeAsync() => Task.FromResult<Stream>(new MemoryStream());
    }
}
