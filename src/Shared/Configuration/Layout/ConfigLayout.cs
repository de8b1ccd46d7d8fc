using Cluster.Shared.Configuration.Layout.Kinds;
using Cluster.Shared.Configuration.Parsing;
using Cluster.Shared.Configuration.Rules;
using static Cluster.Shared.Configuration.Layout.Kinds.Texts;
using static Cluster.Shared.Configuration.Rules.SharedSocketRules;

namespace Cluster.Shared.Configuration.Layout;

/// <summary>
/// The one description of supervisor.json: every key with its kind (type, range, allowed values as users spell them),
/// default, meaning (Markdown, for the docs and the schema), how a change applies on reload, and the front end it needs.
/// The reader, the JSON Schema, the docs' key table, `config show`, reload's diff and the shared-socket refusals are all
/// made from it. Sections are content, placed where they go: several apps will place the same worker sections again.
/// </summary>
internal static class ConfigLayout
{
    private const string Forever = "1d";
    public static readonly EnumKind<LoadBalancingPolicy> Balancing = Enum(("roundRobin", LoadBalancingPolicy.RoundRobin), ("powerOfTwoChoices", LoadBalancingPolicy.PowerOfTwoChoices), ("leastRequests", LoadBalancingPolicy.LeastRequests));
    public static readonly EnumKind<FrontEndMode> FrontEnds = Enum(("proxy", FrontEndMode.Proxy), (SharedSocketName, FrontEndMode.SharedSocket));

    public static readonly Section<ReadinessConfig> Readiness = new Section<ReadinessConfig>("readiness", new(), "When a started worker is ready for traffic: one of `path`, `notify` and `accepting`, or else a TCP connect to its port.")
        .Key("path", HttpPath("(omit it for a TCP connect check)"), c => c.HttpPath, (c, v) => c with { HttpPath = v }, null, "an HTTP path (e.g. `\"/healthz\"`): ready when `GET` answers 2xx. Without it (and without `notify` or `accepting`), ready when a TCP connect to the port succeeds.")
        .Key("notify", BooleanKind.Instance, c => c.Notify, (c, v) => c with { Notify = v }, false, "ready when the worker sends `READY=1` to the `NOTIFY_SOCKET` the supervisor gives it (sd_notify(3), as under systemd's `Type=notify`); a worker that declares `WATCHDOG_USEC=` must then ping `WATCHDOG=1` that often (see [Shared socket](shared-socket.md))")
        .Key("accepting", BooleanKind.Instance, c => c.Accepting, (c, v) => c with { Accepting = v }, false, "ready once one of the worker's processes waits for connections on the shared socket (for servers that neither listen on `PORT` nor speak sd_notify, e.g. uvicorn)", frontEnd: new(FrontEndMode.SharedSocket, "readiness.accepting watches the shared listening socket, which exists only with \"frontEnd\": \"sharedSocket\"", Unless: false))
        .Key("timeout", Duration("1ms", Forever), c => c.Timeout, (c, v) => c with { Timeout = v }, "30s", "a worker not ready by then is stopped (`stopSignal`, then SIGKILL) and restarted")
        .Key("interval", Duration("10ms", "1m"), c => c.Interval, (c, v) => c with { Interval = v }, "100ms", "time between readiness attempts");

    public static readonly Section<WorkerConfig> Worker = new Section<WorkerConfig>("worker", new(), "How to run each worker.")
        .Key("command", Command("the program to run, e.g. \"dotnet\", \"python3\" or \"./bin/server\"", CommandWhat), c => new WorkerCommand(c.CommandAsWritten, c.Command), (c, v) => c with { CommandAsWritten = v?.Written ?? string.Empty, Command = v?.Path ?? string.Empty }, null, "the program. Without a slash it is looked up on `PATH` (`dotnet`, `python3`, `node`); with one it is a path relative to the config file. Checked at start: a missing or non-executable program is a config error.", Applies.RollingReload, required: CommandWhat)
        .Key("args", new ArrayKind<string?>(Plain("a string", "string", quoteHint: true), "an array of strings, e.g. [\"app.dll\", \"--port\", \"{port}\"]"), c => c.Args, (c, v) => c with { Args = [.. v.Select(a => a!)] }, new System.Text.Json.Nodes.JsonArray(), "arguments; `{port}` and `{id}` are replaced with the worker's port and id, and with `\"frontEnd\": \"sharedSocket\"` `{fd}` with the shared socket's file descriptor (3; an error in proxy mode)", Applies.RollingReload)
        .Key("env", new MapKind("an object of strings, e.g. {\"ASPNETCORE_ENVIRONMENT\": \"Production\"}"), c => c.Env, (c, v) => c with { Env = v }, new System.Text.Json.Nodes.JsonObject(), "added to the supervisor's environment; values may use `{port}`, `{id}` and (shared socket) `{fd}`", Applies.RollingReload)
        .Key("cwd", FilePath("a folder path (relative to the config file's folder)", ExistingFolder), c => c.WorkingDirectory, (c, v) => c with { WorkingDirectory = v! }, null, "working directory (relative to the config file)", Applies.RollingReload, whenAbsent: r => r.Context.ConfigDirectory, defaultText: "the config file's folder")
        .Key("user", User(), c => c.User, (c, v) => c with { User = v }, null, "run the workers as this user of the machine (a name, or a numeric UID): its UID, its primary group (or `group`) and its supplementary groups, set between fork and exec, so everything the worker starts runs so too; `HOME`, `USER` and `LOGNAME` are the user's unless `env` sets them, and the worker holds no capabilities. The supervisor keeps its own user (the listening sockets and the TLS keys stay with it), so it must be root or hold `CAP_SETUID`, `CAP_SETGID` and `CAP_KILL` (checked by `check` and at start). A `command` or `cwd` the user may not run or enter fails that worker's start with the reason (`EACCES`). See [Workers as another user](worker-users.md).", Applies.RollingReload, defaultText: "the supervisor's own user")
        .Key("group", Group(), c => c.Group, (c, v) => c with { Group = v }, null, "the workers' primary group instead of the user's own (a name, or a numeric GID); needs `user`", Applies.RollingReload, defaultText: "the primary group of `user`")
        .Key("protocol", Enum(("http1", WorkerProtocol.Http1), ("http2", WorkerProtocol.Http2)), c => c.Protocol, (c, v) => c with { Protocol = v }, "http1", "how the front end talks to the workers: `http1` (HTTP/1.1), or `http2` (HTTP/2 without TLS, prior knowledge: gRPC workers, whose trailers and streams then pass through). Readiness and health checks speak it too.", Applies.Restart, new(FrontEndMode.Proxy, $"\"http2\" makes the proxy talk HTTP/2 to the workers (for gRPC), and {NoFrontEnd}: gRPC clients reach the workers directly, in the workers' own protocol", Unless: "http1"))
        .Key("cpuAffinity", Enum(("none", CpuAffinity.None), ("auto", CpuAffinity.Auto)), c => c.CpuAffinity, (c, v) => c with { CpuAffinity = v }, "none", "`\"auto\"`: pin each worker to a CPU of its own, slot *i* to the *i*-th CPU the supervisor may use (round robin beyond), as nginx's `worker_cpu_affinity auto`; a .NET worker then also sizes its thread pool for one CPU. Pays when the workers keep every CPU busy: see [the benchmarks](../bench/RESULTS.md). Applies to workers started from then on (a `reload` restarts them all).")
        .Add(Readiness, c => c.Readiness, (c, v) => c with { Readiness = v })
        .Key("stopSignal", Enum(("SIGTERM", StopSignal.Terminate), ("SIGINT", StopSignal.Interrupt), ("SIGQUIT", StopSignal.Quit), ("SIGHUP", StopSignal.Hangup), ("SIGUSR1", StopSignal.User1), ("SIGUSR2", StopSignal.User2), ("SIGWINCH", StopSignal.WindowChange)), c => c.StopSignal, (c, v) => c with { StopSignal = v }, "SIGTERM", "the signal that asks a worker to stop, for every planned stop (`stop`, a reload, a scale down, a recycle, a failed readiness or health check), followed by SIGKILL after `stopTimeout`: for servers that stop gracefully on another one (uvicorn and Django's runserver: `SIGINT`; nginx and php-fpm: `SIGQUIT`). A worker is stopped with the signal of the config it was started with.", Applies.RollingReload)
        .Key("stopTimeout", Duration("0ms", Forever), c => c.StopTimeout, (c, v) => c with { StopTimeout = v }, "10s", "time between the stop signal and SIGKILL when stopping a worker")
        .Key("killProcessGroup", BooleanKind.Instance, c => c.KillProcessGroup, (c, v) => c with { KillProcessGroup = v }, true, "send the stop signal and SIGKILL to the worker's whole process group (every worker leads one), so the processes it started (gunicorn's workers, a shell script's children) stop with it, and kill what is left of the group once the worker has exited; `false`: to the worker's own PID only, and its children are left to it", Applies.RollingReload)
        .Key("drainTimeout", Duration("0ms", Forever), c => c.DrainTimeout, (c, v) => c with { DrainTimeout = v }, "30s", "how long a worker being replaced may finish its in-flight requests before it is stopped anyway (its WebSockets do not count: they get its close frame when it is stopped)");

    public static readonly Section<RestartConfig> Restart = new Section<RestartConfig>("restart", new(), "What happens after a worker exits without being asked to: restarts with a growing delay.")
        .Key("delay", Duration("0ms", Forever), c => c.Delay, (c, v) => c with { Delay = v }, "100ms", "wait before the first restart after a stable run")
        .Key("maxDelay", Duration("0ms", Forever), c => c.MaxDelay, (c, v) => c with { MaxDelay = v }, "30s", "the longest wait between restarts; at least `delay`")
        .Key("multiplier", new NumberKind(1, 10, "the factor by which each further restart delay grows"), c => c.Multiplier, (c, v) => c with { Multiplier = v }, 2, "each further quick exit multiplies the wait")
        .Key("jitter", new NumberKind(0, 1, "the fraction by which each delay is spread"), c => c.Jitter, (c, v) => c with { Jitter = v }, 0.2, "each wait is spread by ±this fraction, so workers that died together do not restart in lockstep")
        .Key("resetAfter", Duration("0ms", Forever), c => c.ResetAfter, (c, v) => c with { ResetAfter = v }, "30s", "a worker up this long is stable: its next restart waits only `delay`; an exit sooner is a \"quick exit\"")
        .Key("crashLoopAfter", Integer(1, 1000, "quick exits in a row that mean a crash loop"), c => c.CrashLoopAfter, (c, v) => c with { CrashLoopAfter = (int)v }, 5, "this many quick exits in a row mark the slot `CrashLoop` (restarts continue, slowed)")
        .Key("maxRestarts", Optional(Integer(1, 1_000_000, "restarts within restart.window before giving up (omit it to never give up)")), c => c.MaxRestarts, (c, v) => c with { MaxRestarts = (int?)v }, null, "give up (state `Failed`) after this many exits within `restart.window`; without it, never give up")
        .Key("window", Duration("1s", Forever), c => c.Window, (c, v) => c with { Window = v }, "5m", "the window of `maxRestarts`")
        .Key("noRestartExitCodes", new ArrayKind<long>(Integer(0, 255, "exit codes"), "an array of exit codes, e.g. [3, 4]"), c => [.. c.NoRestartExitCodes.Order().Select(i => (long)i)], (c, v) => c with { NoRestartExitCodes = v.Select(i => (int)i).ToHashSet() }, new System.Text.Json.Nodes.JsonArray(), "exit codes that mean \"do not restart me\" (a boot or config error; gunicorn uses 3 and 4): the slot goes to `Failed`");

    public static readonly Section<HealthConfig> Health = new Section<HealthConfig>("health", new(), "Checks of running workers: this is how a hung worker (alive, not answering) is found.")
        .Key("path", HttpPath("(omit it to turn health checks off)"), c => c.HttpPath, (c, v) => c with { HttpPath = v }, null, "an HTTP path to check running workers with; health checks are off without it")
        .Key("interval", Duration("100ms", Forever), c => c.Interval, (c, v) => c with { Interval = v }, "5s", "time between checks of each worker")
        .Key("timeout", Duration("10ms", "10m"), c => c.Timeout, (c, v) => c with { Timeout = v }, "2s", "a check not answered 2xx within this fails")
        .Key("unhealthyThreshold", Integer(1, 100, "failed checks in a row that take a worker out of rotation"), c => c.UnhealthyThreshold, (c, v) => c with { UnhealthyThreshold = (int)v }, 2, "failures in a row that take a worker out of rotation (state `Unhealthy`); one pass brings it back")
        .Key("restartThreshold", Integer(1, 100, "failed checks in a row that restart a worker"), c => c.RestartThreshold, (c, v) => c with { RestartThreshold = (int)v }, 4, "failures in a row that restart it (a hung worker); at least `unhealthyThreshold`");

    public static readonly Section<RecycleConfig> Recycle = new Section<RecycleConfig>("recycle", new(), "Planned replacement of a worker that has grown too big or served enough requests; the replacement starts first.")
        .Key("maxMemoryMb", Optional(Integer(1, 1_048_576, "megabytes of resident memory (omit it for no limit)")), c => c.MaxMemoryMb, (c, v) => c with { MaxMemoryMb = (int?)v }, null, "resident memory (the worker and its child processes) above which it is recycled, like PM2's `max_memory_restart`")
        .Key("maxRequests", Optional(Integer(1, long.MaxValue / 2, "requests served (omit it for no limit)")), c => c.MaxRequests, (c, v) => c with { MaxRequests = v }, null, "requests after which it is recycled, like gunicorn's `max_requests`", frontEnd: CountsRequests)
        .Key("maxRequestsJitter", Integer(0, int.MaxValue, "extra requests, chosen at random per worker"), c => c.MaxRequestsJitter, (c, v) => c with { MaxRequestsJitter = (int)v }, 0, "each worker's limit is `maxRequests` plus a random 0..this, so workers do not all recycle at once", frontEnd: CountsRequests);

    public static readonly Section<ReloadConfig> Reload = new Section<ReloadConfig>("reload", new(), "How a rolling reload is confirmed, and rolled back when it fails: see [A reload that cannot break production](operations.md#a-reload-that-cannot-break-production).")
        .Key("confirmAfter", Duration("0ms", Forever), c => c.ConfirmAfter, (c, v) => c with { ConfirmAfter = v }, "30s", "how long the whole new generation of a rolling reload must stay ready (no exit, no failed health check, no missed readiness) before the reload is committed and the replaced workers, parked meanwhile, are stopped; a failure before that rolls the reload back. `\"0s\"`: no window.")
        .Key("keepOldWorkers", BooleanKind.Instance, c => c.KeepOldWorkers, (c, v) => c with { KeepOldWorkers = v }, true, "keep each replaced worker alive (parked, no traffic) during the window, so a rollback brings back the very same processes (up to 2N workers meanwhile); `false`: stop them at once, and a rollback starts the previous config anew");

    public static readonly Section<TlsCertificateFiles> Certificate = new Section<TlsCertificateFiles>("certificate", new(string.Empty, string.Empty), "One certificate and its key.")
        .Key("certificate", PemFile(TlsRules.CertificateFile), c => c.Certificate, (c, v) => c with { Certificate = v! }, null, "the certificate followed by its intermediates, PEM (certbot's `fullchain.pem`)", required: TlsRules.CertificateWhat)
        .Key("key", PemFile(TlsRules.KeyFile), c => c.Key, (c, v) => c with { Key = v! }, null, "its private key, PEM, unencrypted (certbot's `privkey.pem`)", required: TlsRules.KeyWhat);

    public static readonly Section<TlsConfig> Tls = new Section<TlsConfig>("tls", new(), "The certificates of the `https://` listeners: one (`certificate` and `key`) or several (`certificates`). Checked at start and re-read on reload and when the files change: see [HTTPS, HTTP/2 and gRPC](https.md).", Applies.Restart, new(FrontEndMode.Proxy, WorkersTerminateTls, $"remove \"tls\" and {OwnCertificates}"))
        .Key("certificate", PemFile(TlsRules.CertificateFile), c => c.Certificate, (c, v) => c with { Certificate = v }, null, "the certificate followed by its intermediates, PEM files as certbot writes them (`/etc/letsencrypt/live/example.com/fullchain.pem`), relative to the config file's folder", Applies.Live)
        .Key("key", PemFile(TlsRules.KeyFile), c => c.Key, (c, v) => c with { Key = v }, null, "its unencrypted private key (`privkey.pem`)", Applies.Live)
        .Key("certificates", new ArrayKind<TlsCertificateFiles>(new SectionKind<TlsCertificateFiles>(Certificate), $"an array of at least one {TlsRules.ExpectedPair}", minItems: 1), c => c.List!, (c, v) => c with { List = v }, null, "several certificates instead, `[{\"certificate\": ..., \"key\": ...}, ...]`, chosen per connection by SNI from their names (subject alternative names); the first is the default", Applies.Live);

    public static readonly Section<HstsConfig> Hsts = new Section<HstsConfig>("hsts", new(), "`Strict-Transport-Security` on every HTTPS answer (never over `http://`).", Applies.Restart, new(FrontEndMode.Proxy, $"{NoFrontEnd} to add Strict-Transport-Security to; let the workers, which terminate TLS in this mode, send it"))
        .Key("maxAge", Duration("0ms", "730d"), c => c.MaxAge, (c, v) => c with { MaxAge = v }, "365d", "how long browsers keep to HTTPS for this host")
        .Key("includeSubDomains", BooleanKind.Instance, c => c.IncludeSubDomains, (c, v) => c with { IncludeSubDomains = v }, false, "add `includeSubDomains`")
        .Key("preload", BooleanKind.Instance, c => c.Preload, (c, v) => c with { Preload = v }, false, "add `preload` (it requires `includeSubDomains` and a `maxAge` of at least `\"365d\"`, as the preload list does)");

    public static readonly Section<ControlConfig> Control = new Section<ControlConfig>("control", new(), "The control channel, a Unix socket (mode 0600) that the CLI commands use.", Applies.Restart)
        .Key("socket", FilePath("a file path for the control socket (relative to the config file's folder)"), c => c.Socket, (c, v) => c with { Socket = v! }, null, "the control socket (mode 0600; at most 107 bytes long, a Linux limit); its folder is checked as `pidFile`'s", whenAbsent: r => RuntimeDirectories.FileFor(r.Context.Environment.RuntimeDirectory, r.Context.ConfigFile, ".sock"), defaultText: "`/run/cluster/NAME-HASH.sock` for root, else `$XDG_RUNTIME_DIR/cluster/...`, else `$TMPDIR/cluster-UID/...`");

    public static readonly Section<ProxyConfig> Proxy = new Section<ProxyConfig>("proxy", new(), "How the front end forwards requests to the workers: see [The front end](front-end.md).", Applies.Live, new(FrontEndMode.Proxy, $"{NoFrontEnd} to forward, retry, time out or balance"))
        .Key("loadBalancing", Balancing, c => c.LoadBalancing, (c, v) => c with { LoadBalancing = v }, "roundRobin", "how the front end picks a ready worker: `roundRobin`, `powerOfTwoChoices` (two at random, the one with fewer requests in flight), `leastRequests`")
        .Key("retry", BooleanKind.Instance, c => c.Retry, (c, v) => c with { Retry = v }, true, "retry a GET, HEAD or OPTIONS without a body once on another worker when its worker failed before sending a byte of its answer")
        .Key("requestTimeout", Duration("100ms", Forever), c => c.RequestTimeout, (c, v) => c with { RequestTimeout = v }, "100s", "how long a worker may take to start answering (and between reads of its answer): then 504")
        .Key("forwardedHeaders", Enum(("set", ForwardedHeadersMode.Set), ("append", ForwardedHeadersMode.Append)), c => c.ForwardedHeaders, (c, v) => c with { ForwardedHeaders = v }, "set", "`set`: `X-Forwarded-For/Proto/Host` replace whatever the client sent (clients cannot spoof them); `append`: add to the client's values, for when a trusted balancer sits in front")
        .Key("requestStartHeader", BooleanKind.Instance, c => c.RequestStartHeader, (c, v) => c with { RequestStartHeader = v }, false, "add `X-Request-Start: t=<microseconds since the Unix epoch>`, the time the front end received the request (replacing one a client sent), for apps and APM agents (New Relic, Judoscale, ...) that measure queue time from it");

    public static readonly Section<LimitsConfig> Limits = new Section<LimitsConfig>("limits", new(), "Request limits of the public listeners, against oversized requests and slow clients (Kestrel's limits, whose defaults they keep).", Applies.Restart, new(FrontEndMode.Proxy, $"{NoFrontEnd}; set request limits in the worker itself"))
        .Key("maxRequestBodySize", new OrNoneKind<long>(Size(0, long.MaxValue / 2), takesNull: true), c => c.MaxRequestBodyBytes, (c, v) => c with { MaxRequestBodyBytes = v }, "30000000B", "larger bodies get 413 (with `Content-Length` at once, chunked as soon as the limit is passed); `null` = no limit")
        .Key("maxRequestHeadersSize", Size(1024, 1024 * 1024), c => c.MaxRequestHeadersBytes, (c, v) => c with { MaxRequestHeadersBytes = (int)v }, "32KB", "all request headers together; more gets 431")
        .Key("maxRequestHeaderCount", Integer(1, 10_000, "request headers at most"), c => c.MaxRequestHeaderCount, (c, v) => c with { MaxRequestHeaderCount = (int)v }, 100, "request headers; more gets 431")
        .Key("requestHeadersTimeout", Duration("100ms", "1h"), c => c.RequestHeadersTimeout, (c, v) => c with { RequestHeadersTimeout = v }, "30s", "a client must have sent all its headers by then (slowloris); then its connection is closed (408)")
        .Key("keepAliveTimeout", Duration("100ms", Forever), c => c.KeepAliveTimeout, (c, v) => c with { KeepAliveTimeout = v }, "130s", "an idle keep-alive connection is closed after this")
        .Key("maxConnections", Optional(Integer(1, int.MaxValue, "open connections at most (omit it for no limit)")), c => c.MaxConnections, (c, v) => c with { MaxConnections = v }, null, "open client connections at most; more are refused")
        // The HTTP/2 ranges are the protocol's (RFC 9113, section 6.5.2) as Kestrel enforces them.
        .Key("http2MaxStreamsPerConnection", Integer(1, int.MaxValue, "concurrent HTTP/2 streams per connection"), c => c.Http2MaxStreamsPerConnection, (c, v) => c with { Http2MaxStreamsPerConnection = (int)v }, 100, "HTTP/2: requests (streams) one client connection may have open at once; more wait")
        .Key("http2HeaderTableSize", Size(0, int.MaxValue), c => c.Http2HeaderTableSize, (c, v) => c with { Http2HeaderTableSize = (int)v }, "4KB", "HTTP/2: the header compression (HPACK) table a client may make the front end keep per connection")
        .Key("http2InitialConnectionWindowSize", Size(65535, int.MaxValue), c => c.Http2InitialConnectionWindowSize, (c, v) => c with { Http2InitialConnectionWindowSize = (int)v }, "1MB", "HTTP/2 flow control: request body bytes a connection (all its streams) may have in flight before the front end has read them")
        .Key("http2InitialStreamWindowSize", Size(65535, int.MaxValue), c => c.Http2InitialStreamWindowSize, (c, v) => c with { Http2InitialStreamWindowSize = (int)v }, "768KB", "HTTP/2 flow control: the same for one stream; with the one above, one upload runs at full speed without one connection holding more than 1 MB of unread body")
        .Key("http2MaxFrameSize", Size(16 * 1024, (16 * 1024 * 1024) - 1), c => c.Http2MaxFrameSize, (c, v) => c with { Http2MaxFrameSize = (int)v }, "16KB", "HTTP/2: the largest frame the front end accepts");

    public static readonly Section<RateLimitConfig> RateLimit = new Section<RateLimitConfig>("rateLimit", new(), "Per-client-IP rate limiting across the whole cluster (a fixed window); the next request gets 429 with `Retry-After`.", Applies.Restart, new(FrontEndMode.Proxy, $"{NoFrontEnd} to count"))
        .Key("requests", Integer(1, int.MaxValue, "requests per client per window"), c => c.Requests, (c, v) => c with { Requests = (int)v }, 100, "requests each client IP may send per window")
        .Key("window", Duration("100ms", Forever), c => c.Window, (c, v) => c with { Window = v }, "1m", "the window");

    public static readonly Section<AccessLogConfig> AccessLog = new Section<AccessLogConfig>("accessLog", new(), "The front end's access log.", Applies.Restart)
        .Key("enabled", BooleanKind.Instance, c => c.Enabled, (c, v) => c with { Enabled = v }, false, "one log line per request: method, path, status, duration, worker id, client IP", frontEnd: new(FrontEndMode.Proxy, $"{NoFrontEnd} to log; use the worker's own access log", Unless: false));

    public static readonly Section<LoadBalancerHealthConfig> LoadBalancerHealth = new Section<LoadBalancerHealthConfig>("loadBalancerHealth", new(), "An endpoint for load balancers in front of this machine: 200 while a worker is ready, 503 with none or once stopping.", Applies.Restart)
        .Key("path", HttpPath("(omit it to serve no health path on the public listener)"), c => c.Path, (c, v) => c with { Path = v }, null, "a path on the public listener (e.g. `\"/_cluster/health\"`) answered by the supervisor itself. Never forwarded, never rate limited.", frontEnd: new(FrontEndMode.Proxy, "the public port belongs to the workers; answer a load balancer's health checks on a port of their own with loadBalancerHealth.listen"))
        .Key("listen", Address(loopback: false), c => c.Listen, (c, v) => c with { Listen = v }, null, "a second listener (e.g. `\"http://0.0.0.0:8081\"`) on which every path is that health answer; for balancers that probe a port")
        .Key("drainDelay", Duration("0ms", "10m"), c => c.DrainDelay, (c, v) => c with { DrainDelay = v }, "0s", "on stop, keep serving this long after the health endpoint starts saying 503, so balancers in front stop sending first");

    public static readonly Section<MetricsConfig> Metrics = new Section<MetricsConfig>("metrics", new(), "Prometheus metrics, always served at `GET /metrics` on the control socket: see [Metrics](metrics.md).", Applies.Restart)
        .Key("listen", Address(loopback: true), c => c.Listen, (c, v) => c with { Listen = v }, null, "a loopback URL (e.g. `\"http://127.0.0.1:9100\"`) that serves `GET /metrics` for Prometheus; loopback only, as metrics are not authenticated");

    public static readonly Section<LogFileConfig> LogFile = new Section<LogFileConfig>("file", new(), "The supervisor's log file, and how every log file rolls (the workers' files too).", Applies.Restart)
        .Key("path", FilePath("a file path (relative to the config file's folder), e.g. \"logs/supervisor.log\"", rules: [(NotBlank, true), ("/$", false)], invalid: text => $"expected a file path such as \"logs/supervisor.log\", got {JsonDescriptions.Quote(text)}"), c => c.Path, (c, v) => c with { Path = v }, null, "also write the log to this file (relative to the config file's folder), rolled and pruned as below; files are created 0640, folders 0750, and a folder other users may write is refused. See [Log files](operations.md#log-files).", defaultText: "none (console only)")
        .Key("rollingInterval", Enum([("day", LogRollingInterval.Day), ("hour", LogRollingInterval.Hour), ("minute", LogRollingInterval.Minute), ("month", LogRollingInterval.Month), ("year", LogRollingInterval.Year), ("never", LogRollingInterval.Never)], [("infinite", LogRollingInterval.Never)]), c => c.RollingInterval, (c, v) => c with { RollingInterval = v }, "day", "start a new file every `minute`, `hour`, `day`, `month`, `year`, or `never` (by size only)")
        .Key("maxSize", new OrNoneKind<long>(Size(1024, long.MaxValue / 2), takesNull: true), c => c.MaxSizeBytes, (c, v) => c with { MaxSizeBytes = v }, "100MB", "start a new file when one reaches this size; `null` for no size limit")
        .Key("retainedFiles", Integer(1, 100_000, "log files to keep, the current one included"), c => c.RetainedFiles, (c, v) => c with { RetainedFiles = (int)v }, 14, "files kept per log, the current one included; older ones are deleted")
        .Key("format", Enum(("json", LogFileFormat.Json), ("text", LogFileFormat.Text)), c => c.Format, (c, v) => c with { Format = v }, "json", "`json` (one JSON object per line, every property a field) or `text` (the console's lines)");

    public static readonly Section<LogConfig> Log = new Section<LogConfig>("log", new(), "The supervisor's log: see [Logs](operations.md#logs).", Applies.Restart)
        .Key("level", Enum([("verbose", LogLevelSetting.Verbose), ("debug", LogLevelSetting.Debug), ("information", LogLevelSetting.Information), ("warning", LogLevelSetting.Warning), ("error", LogLevelSetting.Error), ("fatal", LogLevelSetting.Fatal)], [("trace", LogLevelSetting.Verbose), ("info", LogLevelSetting.Information), ("warn", LogLevelSetting.Warning)]), c => c.Level, (c, v) => c with { Level = v }, "information", "the least severe events logged", Applies.Live)
        .Add(LogFile, c => c.File, (c, v) => c with { File = v })
        .Key("workerFiles", FilePath(WorkerFilesExpected, rules: [(@"\{id\}[^/]*$|/$", true), (@"\{id\}.*/", false)], invalid: text => $"expected {WorkerFilesExpected} ({{id}} in the file name only, not in a folder); got {JsonDescriptions.Quote(text)}", folderGetsFileName: "worker-{id}.log"), c => c.WorkerFiles, (c, v) => c with { WorkerFiles = v }, null, "each worker's output in its own file instead of the supervisor's log: a path with `{id}` in the file name (`\"logs/worker-{id}.log\"`), or a folder ending in `/` (`worker-{id}.log` files in it). Rolled, created and checked like `log.file`.")
        .Key("memoryLines", Integer(0, 1_000_000, "the number of log lines kept in memory for supervisor logs"), c => c.MemoryLines, (c, v) => c with { MemoryLines = (int)v }, 2000, "log lines kept in memory for `supervisor logs` (0 keeps none, `logs -f` still streams); about 1.1 MB when full (see [Logs](operations.md#in-memory-for-supervisor-logs))");

    public static readonly Section<AppProxyConfig> AppProxy = new Section<AppProxyConfig>("proxy", new(), "What this app balances differently from the top-level `proxy`.", Applies.Live, new(FrontEndMode.Proxy, $"{NoFrontEnd} to balance"))
        .Key("loadBalancing", new OrNoneKind<LoadBalancingPolicy>(Balancing, takesNull: false), c => c.LoadBalancing, (c, v) => c with { LoadBalancing = v }, null, "how this app's ready workers are picked (the names of the top-level `proxy.loadBalancing`)", defaultText: "the top-level `proxy.loadBalancing`");

    /// <summary>One app: its routes and its workers; an entry of "apps", and (its worker keys) the short form at the top.</summary>
    public static readonly Section<AppConfig> App = new Section<AppConfig>("app", new(), "One app: the requests it serves and the workers that serve them.")
        .Key("hosts", new ArrayKind<string?>(HostName, "an array of host names, e.g. [\"shop.example.com\", \"*.shop.example.com\"]"), c => c.Hosts, (c, v) => c with { Hosts = [.. v.Select(h => h!)] }, new System.Text.Json.Nodes.JsonArray(), "host names this app serves, matched against the request's `Host` (`:authority` in HTTP/2) without its port, case-insensitively: exact names, or `*.` and a name for every subdomain of it (`*.example.com` matches `a.example.com`, not `example.com`). Omitted: any host. See [Several apps](apps.md).")
        .Key("paths", new ArrayKind<string?>(PathPrefix, "an array of path prefixes, e.g. [\"/api\"]"), c => c.Paths, (c, v) => c with { Paths = [.. v.Select(p => p!)] }, new System.Text.Json.Nodes.JsonArray(), "path prefixes this app serves, on segment boundaries: `/api` matches `/api` and `/api/x`, not `/apix` (compared case-insensitively, as ASP.NET Core's routing does). Passed on to the workers unchanged, unless `stripPath`. Omitted: any path.")
        .Key("stripPath", BooleanKind.Instance, c => c.StripPath, (c, v) => c with { StripPath = v }, false, "forward the request without the prefix it matched (`/api/x` as `/x`, `/api` as `/`), the prefix in `X-Forwarded-Prefix`")
        .Key("listen", new ListenKind(), c => c.Listeners, (c, v) => c with { Listeners = v }, null, "listeners of this app's own, written as the top-level `listen`: the app is served there alone and takes no part in host and path routing", Applies.Restart, whenAbsent: _ => [], defaultText: "none: the top-level front end serves it")
        .Key("frontEnd", FrontEnds, c => c.FrontEnd, (c, v) => c with { FrontEnd = v }, "proxy", "the front end of the app's own `listen`: `proxy`, or `sharedSocket` (its workers accept from one socket of their own, which cannot route: see [Shared socket](shared-socket.md))", Applies.Restart)
        .Key("workers", new WorkerCountKind(), c => c.Workers, (c, v) => c with { Workers = v }, "auto", "how many workers: `\"auto\"` = one per CPU this process may use, which honours cgroup CPU limits (containers) and `DOTNET_PROCESSOR_COUNT`")
        .Add(Worker, c => c.Worker, (c, v) => c with { Worker = v })
        .Add(Restart, c => c.Restart, (c, v) => c with { Restart = v })
        .Add(Health, c => c.Health, (c, v) => c with { Health = v })
        .Add(Recycle, c => c.Recycle, (c, v) => c with { Recycle = v })
        .Add(Reload, c => c.Reload, (c, v) => c with { Reload = v })
        .Add(AppProxy, c => c.Proxy, (c, v) => c with { Proxy = v });

    /// <summary>The keys of an app that the short form writes at the top, for the one app "default".</summary>
    public static readonly IReadOnlyList<string> ShortFormKeys = ["workers", "worker", "restart", "health", "recycle", "reload"];

    /// <summary>The whole file.</summary>
    public static readonly Section<SupervisorConfig> Root = new Section<SupervisorConfig>(string.Empty, new(), "The configuration of Cluster's `supervisor start`.")
        .Key("$schema", Plain("a string (the JSON Schema of this file, for editors)", "string"), c => null, (c, v) => c, null, "ignored by the supervisor; tells editors where the JSON Schema is", setting: false)
        .Place(new ShortFormMember(App.Named("workers")))
        .Key("listen", new ListenKind(), c => c.Listeners, (c, v) => c with { Listeners = v }, "http://127.0.0.1:8080", "the public listeners: a URL `http://HOST:PORT` or `https://HOST:PORT` (HOST an IP address such as `0.0.0.0`, `[::]`, `10.0.0.5`, or `localhost`, or `*` for every interface; the port defaults to 80 and 443), an object `{\"url\": \"http://...\", \"http2\": true}` (HTTP/2 without TLS, see [HTTPS, HTTP/2 and gRPC](https.md)), or an array of both: `[\"http://0.0.0.0:80\", \"https://0.0.0.0:443\"]`. Several URLs may also be one string separated by commas (for `SUPERVISOR_LISTEN` and `--listen`). Each on a port of its own. `https://` listeners need `tls`. With `\"frontEnd\": \"sharedSocket\"`: exactly one `http://` URL, without `http2`.", Applies.Restart)
        .Key("frontEnd", FrontEnds, c => c.FrontEnd, (c, v) => c with { FrontEnd = v }, "proxy", "how clients reach the workers: `proxy` (the supervisor's reverse proxy, see [The front end](front-end.md)) or `sharedSocket` (the workers accept from one socket the supervisor binds, see [Shared socket](shared-socket.md))", Applies.Restart)
        .Optional(Tls, c => c.Tls, (c, v) => c with { Tls = v })
        .Key("redirectHttpToHttps", BooleanKind.Instance, c => c.RedirectHttpToHttps, (c, v) => c with { RedirectHttpToHttps = v }, false, "answer requests on the `http://` listeners with a 308 to the same host, path and query on the first `https://` listener, except the load-balancer health path and `/.well-known/acme-challenge/` (forwarded to the workers)", Applies.Restart, new(FrontEndMode.Proxy, $"{NoFrontEnd} to redirect; let the workers redirect to HTTPS themselves", Unless: false))
        .Optional(Hsts, c => c.Hsts, (c, v) => c with { Hsts = v })
        .Key("shutdownTimeout", Duration("0ms", Forever), c => c.ShutdownTimeout, (c, v) => c with { ShutdownTimeout = v }, "30s", "on stop, how long in-flight requests may take to finish (then they are cut and the workers stopped); WebSockets are not waited for, they get their app's close frame as the workers stop")
        .Key("pidFile", FilePath("a file path (relative to the config file's folder)"), c => c.PidFile, (c, v) => c with { PidFile = v! }, null, "where the supervisor records its PID and its workers' (JSON, mode 0600), one file per config file. The default folder is created with mode 0700 and refused if another user made it; a folder set here must be writable only by its owner, the supervisor's user or root (see [security](security.md))", Applies.Restart, whenAbsent: r => RuntimeDirectories.FileFor(r.Context.Environment.RuntimeDirectory, r.Context.ConfigFile, ".pids.json"), defaultText: "`/run/cluster/NAME-HASH.pids.json` for root, else `$XDG_RUNTIME_DIR/cluster/...`, else `$TMPDIR/cluster-UID/...`")
        .Add(Control, c => c.Control, (c, v) => c with { Control = v })
        .Place(new ShortFormMember(App.Named("worker")))
        .Place(new ShortFormMember(App.Named("restart")))
        .Place(new ShortFormMember(App.Named("health")))
        .Place(new ShortFormMember(App.Named("recycle")))
        .Place(new ShortFormMember(App.Named("reload")))
        .Place(new AppsMember(App, "Several apps in one supervisor, each an entry keyed by its name (lower-case letters, digits and `-`, at most 32 characters) with the keys of an app: `hosts`, `paths`, `stripPath`, `listen`, `frontEnd`, and the worker keys written at the top in the short form (`workers`, `worker`, `restart`, `health`, `recycle`, `reload`), plus `proxy.loadBalancing`. Without it, those keys at the top describe one app named `default`; the two forms cannot be mixed. See [Several apps](apps.md)."))
        .Add(Proxy, c => c.Proxy, (c, v) => c with { Proxy = v })
        .Add(Limits, c => c.Limits, (c, v) => c with { Limits = v })
        .Optional(RateLimit, c => c.RateLimit, (c, v) => c with { RateLimit = v })
        .Add(AccessLog, c => c.AccessLog, (c, v) => c with { AccessLog = v })
        .Add(LoadBalancerHealth, c => c.LoadBalancerHealth, (c, v) => c with { LoadBalancerHealth = v })
        .Add(Metrics, c => c.Metrics, (c, v) => c with { Metrics = v })
        .Add(Log, c => c.Log, (c, v) => c with { Log = v });

    private const string CommandWhat = "the program to run for each worker, e.g. \"dotnet\", \"python3\" or \"./bin/server\"";
    private const string WorkerFilesExpected = "a file path with {id} in its name, e.g. \"logs/worker-{id}.log\", or a folder ending in \"/\"";
    private static DurationKind Duration(string min, string max) => new(DurationKind.Parse(min), DurationKind.Parse(max));
    private static SizeKind Size(long min, long max) => new(min, max);
    private static IntegerKind Integer(long min, long max, string meaning) => new(min, max, meaning);
    private static OrNoneKind<long> Optional(IntegerKind kind) => new(kind, takesNull: false);

    private static EnumKind<TEnum> Enum<TEnum>(params (string, TEnum)[] names)
        where TEnum : struct, System.Enum => new(names);

    private static EnumKind<TEnum> Enum<TEnum>((string, TEnum)[] names, (string, TEnum)[] aliases)
        where TEnum : struct, System.Enum => new(names, aliases);
}
