using System.Text.Json.Serialization;

namespace Cluster.Supervisor.Control;

/// <summary>`supervisor status --json`, also GET /v1/status on the control socket. Documented in the README; keep it stable.</summary>
internal sealed record StatusReport(
    [property: JsonPropertyName("supervisor")] SupervisorStatus Supervisor,
    [property: JsonPropertyName("workers")] IReadOnlyList<WorkerStatus> Workers)
{
    /// <summary>The apps, in the config's order (one, "default", for a config without "apps"); their workers are in <see cref="Workers"/>, each with its app.</summary>
    [JsonPropertyName("apps")]
    public IReadOnlyList<AppStatusReport> Apps { get; init; } = [];

    /// <summary>The front end's counters since start; `supervisor top` turns two of them into rates.</summary>
    [JsonPropertyName("frontEnd")]
    public FrontEndTraffic? FrontEnd { get; init; }
}

internal sealed record SupervisorStatus(
    [property: JsonPropertyName("pid")] int Pid,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("startedAt")] DateTimeOffset StartedAt,
    [property: JsonPropertyName("uptimeSeconds")] double UptimeSeconds,
    [property: JsonPropertyName("phase")] string Phase,
    [property: JsonPropertyName("listen")] string Listen,
    [property: JsonPropertyName("configFile")] string ConfigFile,
    [property: JsonPropertyName("controlSocket")] string ControlSocket,
    [property: JsonPropertyName("generation")] int Generation,
    [property: JsonPropertyName("workersWanted")] int WorkersWanted,
    [property: JsonPropertyName("operation")] string? Operation,
    [property: JsonPropertyName("listeners")] IReadOnlyList<ListenerStatus> Listeners,
    [property: JsonPropertyName("certificates")] IReadOnlyList<CertificateStatus> Certificates)
{
    /// <summary>"proxy" or "sharedSocket".</summary>
    [JsonPropertyName("frontEndMode")]
    public string FrontEndMode { get; init; } = "proxy";

    /// <summary>How the last reload ended; null before the first.</summary>
    [JsonPropertyName("lastReload")]
    public LastReloadStatus? LastReload { get; init; }

    /// <summary>Reloads since the supervisor started, by result: committed, rolledBack, refused, failed.</summary>
    [JsonPropertyName("reloads")]
    public IReadOnlyDictionary<string, long> Reloads { get; init; } = new Dictionary<string, long>();

    /// <summary>Upgrades that led to this supervisor process: 0 for a plain start, the previous one's plus 1 after `supervisor upgrade`.</summary>
    [JsonPropertyName("upgrades")]
    public int Upgrades { get; init; }

    /// <summary>The supervisor this one took over from (an upgrade); null for a plain start.</summary>
    [JsonPropertyName("previous")]
    public PreviousSupervisorStatus? Previous { get; init; }

    /// <summary>Where the listening sockets came from: "bound" (by this process), "systemd" (socket activation), "previous" (an upgrade).</summary>
    [JsonPropertyName("sockets")]
    public string Sockets { get; init; } = "bound";

    /// <summary>The last upgrade this process attempted that did not hand over (refused or failed); null when none.</summary>
    [JsonPropertyName("lastUpgrade")]
    public LastUpgradeStatus? LastUpgrade { get; init; }
}

/// <summary>The supervisor an upgrade replaced: its PID and version. Its workers were replaced, never adopted.</summary>
internal sealed record PreviousSupervisorStatus(
    [property: JsonPropertyName("pid")] int Pid,
    [property: JsonPropertyName("version")] string Version);

internal sealed record LastUpgradeStatus(
    [property: JsonPropertyName("result")] string Result,
    [property: JsonPropertyName("origin")] string Origin,
    [property: JsonPropertyName("detail")] string Detail,
    [property: JsonPropertyName("at")] DateTimeOffset At);

internal sealed record LastReloadStatus(
    [property: JsonPropertyName("result")] string Result,
    [property: JsonPropertyName("origin")] string Origin,
    [property: JsonPropertyName("generation")] int Generation,
    [property: JsonPropertyName("detail")] string Detail,
    [property: JsonPropertyName("at")] DateTimeOffset At);

/// <summary>One public listener: its URL and whether it speaks HTTP/2 without TLS (h2c).</summary>
internal sealed record ListenerStatus(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("http2")] bool Http2);

/// <summary>A certificate the https:// listeners serve now (the first is the default).</summary>
internal sealed record CertificateStatus(
    [property: JsonPropertyName("names")] IReadOnlyList<string> Names,
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("serialNumber")] string SerialNumber,
    [property: JsonPropertyName("notAfter")] DateTimeOffset NotAfter,
    [property: JsonPropertyName("file")] string File);

/// <summary>One app: what it serves, how many of its workers are ready of how many wanted, its restarts and reloads.</summary>
internal sealed record AppStatusReport(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("routes")] string Routes,
    [property: JsonPropertyName("hosts")] IReadOnlyList<string> Hosts,
    [property: JsonPropertyName("paths")] IReadOnlyList<string> Paths,
    [property: JsonPropertyName("frontEndMode")] string FrontEndMode,
    [property: JsonPropertyName("phase")] string Phase,
    [property: JsonPropertyName("generation")] int Generation,
    [property: JsonPropertyName("workersWanted")] int WorkersWanted,
    [property: JsonPropertyName("workersReady")] int WorkersReady,
    [property: JsonPropertyName("restarts")] int Restarts,
    [property: JsonPropertyName("operation")] string? Operation)
{
    /// <summary>Its own listeners ("http://0.0.0.0:8081"); null when the top-level front end routes to it.</summary>
    [JsonPropertyName("listen")]
    public string? Listen { get; init; }

    /// <summary>How its last reload ended; null before the first.</summary>
    [JsonPropertyName("lastReload")]
    public LastReloadStatus? LastReload { get; init; }

    /// <summary>
    /// Requests waiting in its queue for a worker (worker.maxConcurrency, or an app on demand starting its first
    /// worker); null with a shared socket, where the workers accept the connections themselves and nothing is held back.
    /// </summary>
    [JsonPropertyName("queued")]
    public int? Queued { get; init; }

    /// <summary>Its range, when its workers are one (docs/pools.md); null for a fixed count.</summary>
    [JsonPropertyName("pool")]
    public PoolStatus? Pool { get; init; }

    /// <summary>Ready workers (not retiring) with nothing in flight (with a shared socket: holding no connection).</summary>
    [JsonPropertyName("workersIdle")]
    public int WorkersIdle { get; init; }

    /// <summary>Requests in flight to its workers through the proxy; null with a shared socket (see connections).</summary>
    [JsonPropertyName("requestsInFlight")]
    public long? RequestsInFlight { get; init; }

    /// <summary>Client connections its workers hold (frontEnd sharedSocket); null with the proxy.</summary>
    [JsonPropertyName("connections")]
    public long? Connections { get; init; }

    /// <summary>What the pool sizer did to it since the supervisor started (absent for a fixed count).</summary>
    [JsonPropertyName("scaleEvents")]
    public IReadOnlyList<ScaleEventCount>? ScaleEvents { get; init; }
}

/// <summary>An app's range: the bounds the pool sizer keeps it in, and what overrides or holds it back now.</summary>
internal sealed record PoolStatus(
    [property: JsonPropertyName("min")] int Min,
    [property: JsonPropertyName("max")] int Max,
    [property: JsonPropertyName("spare")] int Spare,
    [property: JsonPropertyName("idleTimeoutSeconds")] double IdleTimeoutSeconds)
{
    /// <summary>The fixed count `supervisor scale` set over the range until the app's next reload; null while the range sizes the pool.</summary>
    [JsonPropertyName("scaledTo")]
    public int? ScaledTo { get; init; }

    /// <summary>Why a start is held back by maxWorkers now; null when none is.</summary>
    [JsonPropertyName("held")]
    public string? Held { get; init; }
}

/// <summary>Workers the pool sizer started ("up") or retired ("down") for one cause: spare, queue, min, idle, maxWorkers.</summary>
internal sealed record ScaleEventCount(
    [property: JsonPropertyName("direction")] string Direction,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("count")] long Count);

internal sealed record WorkerStatus(
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("pid")] int? Pid,
    [property: JsonPropertyName("port")] int? Port,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("retiring")] bool Retiring,
    [property: JsonPropertyName("startedAt")] DateTimeOffset? StartedAt,
    [property: JsonPropertyName("uptimeSeconds")] double? UptimeSeconds,
    [property: JsonPropertyName("restarts")] int Restarts,
    [property: JsonPropertyName("lastExit")] LastExitStatus? LastExit,
    [property: JsonPropertyName("memoryBytes")] long? MemoryBytes,
    [property: JsonPropertyName("cpuPercent")] double? CpuPercent,
    [property: JsonPropertyName("requestsInFlight")] long RequestsInFlight,
    [property: JsonPropertyName("requestsServed")] long RequestsServed)
{
    /// <summary>The app it belongs to ("default" for a config without "apps"); ids are per app.</summary>
    [JsonPropertyName("app")]
    public string App { get; init; } = Cluster.Shared.Configuration.AppConfig.DefaultName;

    /// <summary>Client connections it holds on the shared socket (frontEnd sharedSocket); null with the proxy.</summary>
    [JsonPropertyName("connections")]
    public long? Connections { get; init; }

    /// <summary>The last STATUS= line it sent to its notify socket (readiness.notify); null when none.</summary>
    [JsonPropertyName("notifyStatus")]
    public string? NotifyStatus { get; init; }

    /// <summary>Restarts of this slot within the last hour: a flapping slot stands out.</summary>
    [JsonPropertyName("restartsLastHour")]
    public int RestartsLastHour { get; init; }

    /// <summary>The user its process runs as (worker.user, or the supervisor's own); null while it has none.</summary>
    [JsonPropertyName("user")]
    public string? User { get; init; }
}

internal sealed record LastExitStatus(
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("exitCode")] int? ExitCode,
    [property: JsonPropertyName("signal")] string? Signal,
    [property: JsonPropertyName("at")] DateTimeOffset At);
