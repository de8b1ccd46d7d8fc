using System.Diagnostics.Metrics;
using System.Globalization;
using Cluster.Supervisor.Control;
using Cluster.Supervisor.FrontEnd.Tls;
using Cluster.Supervisor.Logging;

namespace Cluster.Supervisor.Metrics;

/// <summary>
/// The supervisor's instruments, on the meter "Cluster.Supervisor" (names in OpenTelemetry style; the exporter
/// renders them in Prometheus style). All are observable: the front end only bumps counters, and the worker table is
/// read from a status report taken just before each scrape (<see cref="Update"/>), never from the control loop's state.
/// </summary>
internal sealed class SupervisorMetrics : IDisposable
{
    public const string MeterName = "Cluster.Supervisor";

    private static readonly string[] StatusClasses = ["1xx", "2xx", "3xx", "4xx", "5xx"];

    private volatile ObservedState? _observed;

    /// <param name="frontEnd">The proxy's request counters; null with a shared socket, where no request passes through the supervisor.</param>
    /// <param name="logs">The log queues, for cluster_log_dropped_events_total (none: no such family).</param>
    /// <param name="tls">The served certificates, for their expiry times; null without https listeners.</param>
    public SupervisorMetrics(FrontEndCounters? frontEnd, LogBuffers? logs = null, TlsCertificateStore? tls = null)
    {
        Meter = new Meter(MeterName);
        Histograms = frontEnd is null
            ? []
            :
            [
                new HistogramMetric("cluster.frontend.request.duration", "s", "Time from receiving a request to the end of its answer, for the requests counted in cluster_frontend_requests_total, by app (the series without one: no app matched, or the redirect to HTTPS)", frontEnd.LatencySeries),
                new HistogramMetric(
                    "cluster.app.queue.wait",
                    "s",
                    "Time the requests that had to wait in each app's queue (worker.maxConcurrency, or an app on demand starting its first worker) waited there, however they left it (a worker, queue.timeout, the client gone); requests that got a worker at once are not counted",
                    () => frontEnd.Queues.Select(q => new HistogramSeries([new("app", q.Key)], q.Value.Wait.Snapshot()))),
            ];

        CreateSupervisorInstruments();
        CreateWorkerInstruments();
        if (frontEnd is null)
        {
            CreateConnectionInstruments();
        }
        else
        {
            CreateFrontEndInstruments(frontEnd);
            CreateWorkerRequestInstruments(frontEnd);
        }

        if (logs is not null)
        {
            CreateLogInstruments(logs);
        }

        if (tls is not null)
        {
            CreateTlsInstruments(tls);
        }
    }

    public Meter Meter { get; }

    /// <summary>Histograms for the exporter: System.Diagnostics.Metrics has no observable histogram (see <see cref="LatencyHistogram"/>).</summary>
    public IReadOnlyList<HistogramMetric> Histograms { get; }

    public void Update(StatusReport report) => _observed = ObservedState.From(report);

    public void Dispose() => Meter.Dispose();

    private static string SnakeCase(string camel) => string.Concat(camel.Select(c => char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : c.ToString()));

    private static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);

    /// <summary>A worker series' labels: its app and its slot (ids are per app), then <paramref name="more"/>.</summary>
    private static KeyValuePair<string, object?>[] WorkerTag(WorkerSlotSample slot, params KeyValuePair<string, object?>[] more) =>
        [Tag("app", slot.App), Tag("worker", slot.Id.ToString(CultureInfo.InvariantCulture)), .. more];

    private void CreateFrontEndInstruments(FrontEndCounters counters)
    {
        Meter.CreateObservableCounter(
            "cluster.frontend.requests",
            () => StatusClasses.Select((code, i) => new Measurement<long>(counters.AnsweredWith(i + 1), Tag("code", code))),
            "{request}",
            "Requests answered through the front end, by status class; includes the front end's own 413, 429, 499 (client gone), 502, 503 and 504, not load-balancer health checks");
        Meter.CreateObservableCounter(
            "cluster.app.requests",
            () => counters.Apps.SelectMany(a => StatusClasses.Select((code, i) => new Measurement<long>(a.Counts.AnsweredWith(i + 1), Tag("app", a.App), Tag("code", code)))),
            "{request}",
            "Requests routed to each app, by status class (the front end's own answers for it included: 502, 503, 504, 499); requests no app matched are in cluster_frontend_requests_total only");
        Meter.CreateObservableCounter(
            "cluster.frontend.retries",
            () => counters.Retries,
            "{request}",
            "Requests retried on another worker because theirs failed before answering");
        Meter.CreateObservableCounter(
            "cluster.frontend.proxy.errors",
            () => ProxyErrorKinds.All.Select(kind => new Measurement<long>(counters.ProxyErrors(kind), Tag("kind", ProxyErrorKinds.Label(kind)))),
            "{error}",
            "Forwarding attempts to a worker that failed, by kind (an attempt that was then retried counts too)");
        Meter.CreateObservableCounter(
            "cluster.frontend.rate_limited",
            () => counters.RateLimitedRequests,
            "{request}",
            "Requests refused with 429 by rateLimit");
        Meter.CreateObservableCounter(
            "cluster.app.queue.rejected",
            () => counters.Queues.SelectMany(q => new[]
            {
                new Measurement<long>(q.Value.FullRequests, Tag("app", q.Key), Tag("reason", "full")),
                new Measurement<long>(q.Value.TimedOutRequests, Tag("app", q.Key), Tag("reason", "timeout")),
            }),
            "{request}",
            "Requests each app's queue refused: full (queue.maxLength requests were waiting: 503 at once), timeout (no worker came free within queue.timeout: 504)");
        Meter.CreateObservableGauge(
            "cluster.app.queue.length",
            () => _observed?.AppQueues.Select(a => new Measurement<long>(a.Queued, Tag("app", a.App))) ?? [],
            "{request}",
            "Requests waiting in each app's queue for a worker below worker.maxConcurrency (or for the first worker of an app on demand)");
        Meter.CreateObservableCounter(
            "cluster.frontend.no_worker_ready",
            () => counters.NoWorkerReadyRequests,
            "{request}",
            "Requests answered 503 because no worker was ready");
    }

    private void CreateSupervisorInstruments()
    {
        Meter.CreateObservableGauge("cluster.supervisor.uptime", () => Supervisor(o => o.Supervisor.UptimeSeconds), "s", "Seconds since the supervisor started");
        Meter.CreateObservableGauge("cluster.supervisor.generation", () => Supervisor(o => (double)o.Supervisor.Generation), null, "Config generation: 1 at start, +1 for every config applied by reload or SIGHUP");
        Meter.CreateObservableGauge("cluster.supervisor.workers.desired", () => Supervisor(o => (double)o.Supervisor.WorkersWanted), "{worker}", "Workers the supervisor is set to run");
        Meter.CreateObservableGauge("cluster.supervisor.workers.ready", () => Supervisor(o => (double)o.ReadyWorkers), "{worker}", "Worker processes that are ready (in rotation)");
        Meter.CreateObservableCounter(
            "cluster.supervisor.reloads",
            () => _observed is { } observed
                ? observed.Supervisor.Reloads.Select(r => new Measurement<long>(r.Value, Tag("result", SnakeCase(r.Key))))
                : [],
            "{reload}",
            "Rolling reloads and config reloads by how they ended: committed, rolled_back (a new worker failed during the reload or reload.confirmAfter), refused (invalid config, or another operation in progress), failed (a new worker failed with reload.confirmAfter 0s)");
    }

    private void CreateLogInstruments(LogBuffers logs) =>
        Meter.CreateObservableCounter(
            "cluster.log.dropped_events",
            () => logs.Destinations.Select(d => new Measurement<long>(d.Dropped, Tag("destination", d.Label))),
            "{event}",
            "Log events dropped because their destination (console, log file, worker files) did not keep up and its queue was full");

    private void CreateWorkerInstruments()
    {
        Meter.CreateObservableGauge(
            "cluster.app.workers",
            () => _observed?.AppWorkers.Select(a => new Measurement<long>(a.Count, Tag("app", a.App), Tag("state", a.State))) ?? [],
            "{worker}",
            "Worker processes of each app by state (starting, ready, unhealthy, draining, parked, stopping, backoff, crashLoop, failed, ...); a state with none is absent");
        Meter.CreateObservableCounter(
            "cluster.app.scale_events",
            () => _observed?.ScaleEvents.Select(e => new Measurement<long>(e.Count, Tag("app", e.App), Tag("direction", e.Direction), Tag("reason", e.Reason))) ?? [],
            "{event}",
            "Pool sizer decisions of each app whose workers are a range (docs/pools.md): direction up (a start, counted once per decision however many workers it starts) or down (a worker retired); reason spare, queue, min (up), idle, maxWorkers (down: given to another app)");
        Meter.CreateObservableGauge(
            "cluster.worker.state",
            () => Slots(slot => new Measurement<long>(1, WorkerTag(slot, Tag("state", slot.State)))),
            null,
            "1 for the state each worker slot is in: starting, ready, unhealthy, draining, stopping, exited, backoff, crashLoop, failed, stopped");
        Meter.CreateObservableCounter(
            "cluster.worker.restarts",
            () => Slots(slot => new Measurement<long>(slot.Restarts, WorkerTag(slot))),
            "{restart}",
            "Restarts of each worker slot");
        Meter.CreateObservableGauge(
            "cluster.worker.uptime",
            () => SlotsWithValue(slot => slot.UptimeSeconds is { } uptime ? new Measurement<double>(uptime, WorkerTag(slot)) : (Measurement<double>?)null),
            "s",
            "Seconds since the slot's current process started (absent while it has none)");
        Meter.CreateObservableGauge(
            "cluster.worker.resident_memory",
            () => SlotsWithValue(slot => slot.MemoryBytes is { } bytes ? new Measurement<long>(bytes, WorkerTag(slot)) : (Measurement<long>?)null),
            "By",
            "Resident memory of the slot's current process and its child processes (absent while it has none)");
    }

    private void CreateWorkerRequestInstruments(FrontEndCounters counters)
    {
        Meter.CreateObservableCounter(
            "cluster.worker.requests",
            () => Slots(slot => new Measurement<long>(counters.SentToSlot(slot.App, slot.Id), WorkerTag(slot))),
            "{request}",
            "Requests the front end sent to each worker slot (any of its processes) since the supervisor started, retries included");
        Meter.CreateObservableGauge(
            "cluster.worker.requests.in_flight",
            () => Slots(slot => new Measurement<long>(slot.RequestsInFlight, WorkerTag(slot))),
            "{request}",
            "Requests each worker slot is serving now");
    }

    private void CreateTlsInstruments(TlsCertificateStore tls) =>
        Meter.CreateObservableGauge(
            "cluster.tls.certificate.expiry_timestamp",
            () => tls.Current.Certificates.Select(c => new Measurement<double>(c.Loaded.NotAfter.ToUnixTimeSeconds(), Tag("names", c.Loaded.NamesText))),
            "s",
            "When each certificate served on the https:// listeners expires (Unix time); alert on (this - time()) < 14 * 86400");

    private void CreateConnectionInstruments() =>
        Meter.CreateObservableGauge(
            "cluster.worker.connections",
            () => SlotsWithValue(slot => slot.Connections is { } connections ? new Measurement<long>(connections, WorkerTag(slot)) : (Measurement<long>?)null),
            "{connection}",
            "Client connections each worker slot holds on the shared socket's port (frontEnd sharedSocket; from /proc), so an uneven split by the kernel shows");

    private IEnumerable<Measurement<double>> Supervisor(Func<ObservedState, double> value) =>
        _observed is { } observed ? [new Measurement<double>(value(observed))] : [];

    private IEnumerable<Measurement<T>> Slots<T>(Func<WorkerSlotSample, Measurement<T>> measure)
        where T : struct =>
        _observed?.Slots.Select(measure) ?? [];

    private IEnumerable<Measurement<T>> SlotsWithValue<T>(Func<WorkerSlotSample, Measurement<T>?> measure)
        where T : struct =>
        _observed?.Slots.Select(measure).Where(m => m.HasValue).Select(m => m!.Value) ?? [];
}
