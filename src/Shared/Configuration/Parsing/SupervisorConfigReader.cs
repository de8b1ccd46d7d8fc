using System.Text.Json;

namespace Cluster.Shared.Configuration.Parsing;

/// <summary>The layout of supervisor.json: which keys exist where, their types, ranges and defaults.</summary>
internal static class SupervisorConfigReader
{
    public static readonly string[] RootKeys = ["$schema", "workers", "listen", "frontEnd", "tls", "redirectHttpToHttps", "hsts", "shutdownTimeout", "pidFile", "control", "worker", "restart", "health", "recycle", "reload", "proxy", "limits", "rateLimit", "accessLog", "loadBalancerHealth", "metrics", "log"];
    public static readonly string[] HstsKeys = ["maxAge", "includeSubDomains", "preload"];
    public static readonly string[] ProxyKeys = ["loadBalancing", "retry", "requestTimeout", "forwardedHeaders", "requestStartHeader"];
    public static readonly string[] LimitsKeys = ["maxRequestBodySize", "maxRequestHeadersSize", "maxRequestHeaderCount", "requestHeadersTimeout", "keepAliveTimeout", "maxConnections", "http2MaxStreamsPerConnection", "http2HeaderTableSize", "http2InitialConnectionWindowSize", "http2InitialStreamWindowSize", "http2MaxFrameSize"];
    public static readonly string[] RateLimitKeys = ["requests", "window"];
    public static readonly string[] AccessLogKeys = ["enabled"];
    public static readonly string[] LoadBalancerHealthKeys = ["path", "listen", "drainDelay"];
    public static readonly string[] ControlKeys = ["socket"];
    public static readonly string[] MetricsKeys = ["listen"];
    public static readonly string[] WorkerKeys = ["command", "args", "env", "cwd", "protocol", "cpuAffinity", "readiness", "stopTimeout", "drainTimeout"];
    public static readonly string[] ReadinessKeys = ["path", "notify", "accepting", "timeout", "interval"];
    public static readonly string[] RestartKeys = ["delay", "maxDelay", "multiplier", "jitter", "resetAfter", "crashLoopAfter", "maxRestarts", "window", "noRestartExitCodes"];
    public static readonly string[] HealthKeys = ["path", "interval", "timeout", "unhealthyThreshold", "restartThreshold"];
    public static readonly string[] RecycleKeys = ["maxMemoryMb", "maxRequests", "maxRequestsJitter"];
    public static readonly string[] ReloadKeys = ["confirmAfter", "keepOldWorkers"];
    public static readonly string[] LogKeys = ["level", "file", "workerFiles", "memoryLines"];
    public static readonly string[] LogFileKeys = ["path", "rollingInterval", "maxSize", "retainedFiles", "format"];

    private static readonly TimeSpan OneDay = TimeSpan.FromDays(1);

    internal static readonly Dictionary<string, LogLevelSetting> LogLevels = new(StringComparer.Ordinal)
    {
        ["verbose"] = LogLevelSetting.Verbose,
        ["trace"] = LogLevelSetting.Verbose,
        ["debug"] = LogLevelSetting.Debug,
        ["information"] = LogLevelSetting.Information,
        ["info"] = LogLevelSetting.Information,
        ["warning"] = LogLevelSetting.Warning,
        ["warn"] = LogLevelSetting.Warning,
        ["error"] = LogLevelSetting.Error,
        ["fatal"] = LogLevelSetting.Fatal,
    };

    internal static readonly string[] DocumentedLogLevels = ["verbose", "debug", "information", "warning", "error", "fatal"];

    internal static readonly Dictionary<string, LogRollingInterval> RollingIntervals = new(StringComparer.Ordinal)
    {
        ["never"] = LogRollingInterval.Never,
        ["infinite"] = LogRollingInterval.Never,
        ["year"] = LogRollingInterval.Year,
        ["month"] = LogRollingInterval.Month,
        ["day"] = LogRollingInterval.Day,
        ["hour"] = LogRollingInterval.Hour,
        ["minute"] = LogRollingInterval.Minute,
    };

    internal static readonly string[] DocumentedRollingIntervals = ["day", "hour", "minute", "month", "year", "never"];

    internal static readonly Dictionary<string, LogFileFormat> LogFormats = new(StringComparer.Ordinal)
    {
        ["json"] = LogFileFormat.Json,
        ["text"] = LogFileFormat.Text,
    };

    internal static readonly Dictionary<string, CpuAffinity> CpuAffinities = new(StringComparer.Ordinal)
    {
        ["none"] = CpuAffinity.None,
        ["auto"] = CpuAffinity.Auto,
    };

    internal static readonly string[] DocumentedCpuAffinities = ["none", "auto"];

    internal static readonly string[] DocumentedLogFormats = ["json", "text"];

    internal static readonly string[] DocumentedWorkerProtocols = ["http1", "http2"];

    internal static readonly string[] DocumentedForwardedModes = ["set", "append"];

    internal static readonly Dictionary<string, LoadBalancingPolicy> Policies = new(StringComparer.Ordinal)
    {
        ["roundrobin"] = LoadBalancingPolicy.RoundRobin,
        ["poweroftwochoices"] = LoadBalancingPolicy.PowerOfTwoChoices,
        ["leastrequests"] = LoadBalancingPolicy.LeastRequests,
    };

    internal static readonly string[] DocumentedPolicies = ["roundRobin", "powerOfTwoChoices", "leastRequests"];

    internal static readonly Dictionary<string, WorkerProtocol> WorkerProtocols = new(StringComparer.Ordinal)
    {
        ["http1"] = WorkerProtocol.Http1,
        ["http2"] = WorkerProtocol.Http2,
    };

    internal static readonly Dictionary<string, ForwardedHeadersMode> ForwardedModes = new(StringComparer.Ordinal)
    {
        ["set"] = ForwardedHeadersMode.Set,
        ["append"] = ForwardedHeadersMode.Append,
    };

    public static SupervisorConfig? Read(ConfigReader reader, ConfigNode root, string configFile, ConfigEnvironment environment)
    {
        var configDirectory = Path.GetDirectoryName(configFile)!;
        if (root.Value?.ValueKind != JsonValueKind.Object)
        {
            // Anything else is not a supervisor.json at all; listing missing keys would only bury that.
            reader.Object(root, RootKeys);
            return null;
        }

        var keys = reader.Object(root, RootKeys);
        reader.String(keys["$schema"], "a string (the JSON Schema of this file, for editors)");

        var workers = ReadWorkerCount(reader, keys["workers"], environment);
        var listeners = ListenConfigReader.Read(reader, keys["listen"]);
        var frontEnd = FrontEndRules.Read(reader, keys["frontEnd"]);
        var redirect = reader.Boolean(keys["redirectHttpToHttps"], false);
        var hsts = ReadHsts(reader, keys["hsts"]);
        TlsConfig? tls = null;
        if (frontEnd != FrontEndMode.SharedSocket)
        {
            // With a shared socket "tls" is refused as a whole (FrontEndRules), so its files are not read either.
            tls = TlsConfigReader.Read(reader, keys["tls"], configDirectory, DateTimeOffset.UtcNow);
            CheckHttps(reader, keys, listeners, tls, redirect, hsts);
        }

        var shutdownTimeout = reader.Duration(keys["shutdownTimeout"], ConfigDefaults.ShutdownTimeout, TimeSpan.Zero, OneDay);
        var pidFileText = reader.String(keys["pidFile"], "a file path (relative to the config file's folder)");
        var pidFile = pidFileText is null
            ? RuntimeDirectories.FileFor(environment.RuntimeDirectory, configFile, ".pids.json")
            : Path.GetFullPath(pidFileText, configDirectory);
        var control = ReadControl(reader, keys["control"], configFile, environment);
        var worker = ReadWorker(reader, keys["worker"], configDirectory, environment, frontEnd);
        var restart = ReadRestart(reader, keys["restart"]);
        var health = ReadHealth(reader, keys["health"]);
        var recycle = ReadRecycle(reader, keys["recycle"]);
        var reloadKeys = reader.Object(keys["reload"], ReloadKeys);
        var reload = new ReloadConfig
        {
            ConfirmAfter = reader.Duration(reloadKeys["confirmAfter"], ConfigDefaults.ReloadConfirmAfter, TimeSpan.Zero, OneDay),
            KeepOldWorkers = reader.Boolean(reloadKeys["keepOldWorkers"], true),
        };

        var proxy = ReadProxy(reader, keys["proxy"]);
        var limits = ReadLimits(reader, keys["limits"]);
        var rateLimit = ReadRateLimit(reader, keys["rateLimit"]);
        var accessLog = reader.Object(keys["accessLog"], AccessLogKeys);
        var accessLogEnabled = reader.Boolean(accessLog["enabled"], false);
        var publicListeners = listeners?.Select(l => l.Listener).ToList() ?? [];
        var loadBalancerHealth = ReadLoadBalancerHealth(reader, keys["loadBalancerHealth"], publicListeners);
        var metrics = MetricsConfigReader.Read(reader, keys["metrics"], publicListeners, loadBalancerHealth.Listen);

        var log = ReadLog(reader, keys["log"], configDirectory);
        if (frontEnd == FrontEndMode.SharedSocket)
        {
            FrontEndRules.CheckSharedSocket(reader, keys["frontEnd"], keys, accessLogEnabled, listeners, redirect, worker?.Protocol);
        }

        if (worker?.Readiness.Notify == true && System.Text.Encoding.UTF8.GetByteCount(control.NotifyFolder) + 1 + ControlConfig.LongestNotifySocketName > ControlConfig.MaxSocketPathBytes)
        {
            reader.Error(new ConfigNode(null, "$.worker.readiness.notify"), $"the workers' notify sockets would be made beside the control socket, in \"{control.NotifyFolder}\", whose path is too long for a socket (Linux allows {ControlConfig.MaxSocketPathBytes} bytes); set control.socket to a shorter path");
        }

        if (reader.Errors.Count > 0 || workers is null || listeners is null || worker is null)
        {
            return null;
        }

        return new SupervisorConfig
        {
            ConfigFile = configFile,
            Workers = workers,
            Listeners = publicListeners,
            FrontEnd = frontEnd,
            Tls = tls,
            RedirectHttpToHttps = redirect,
            Hsts = hsts,
            ShutdownTimeout = shutdownTimeout,
            PidFile = pidFile,
            Control = control,
            Worker = worker,
            Restart = restart,
            Health = health,
            Recycle = recycle,
            Reload = reload,
            Log = log,
            Proxy = proxy,
            Limits = limits,
            RateLimit = rateLimit,
            AccessLog = new AccessLogConfig { Enabled = accessLogEnabled },
            LoadBalancerHealth = loadBalancerHealth,
            Metrics = metrics,
        };
    }

    private static LogConfig ReadLog(ConfigReader reader, ConfigNode node, string configDirectory)
    {
        var keys = reader.Object(node, LogKeys);
        var file = reader.Object(keys["file"], LogFileKeys);
        var path = reader.String(file["path"], "a file path (relative to the config file's folder), e.g. \"logs/supervisor.log\"");
        if (path is not null && (path.Trim().Length == 0 || path.EndsWith('/')))
        {
            reader.Error(file["path"], $"expected a file path such as \"logs/supervisor.log\", got {JsonDescriptions.Quote(path)}");
            path = null;
        }

        var maxSize = file["maxSize"];
        return new LogConfig
        {
            Level = reader.Enum(keys["level"], ConfigDefaults.LogLevel, LogLevels, DocumentedLogLevels),
            File = new LogFileConfig
            {
                Path = path is null ? null : Path.GetFullPath(path, configDirectory),
                RollingInterval = reader.Enum(file["rollingInterval"], ConfigDefaults.LogRollingInterval, RollingIntervals, DocumentedRollingIntervals),
                MaxSizeBytes = maxSize.Value?.ValueKind == JsonValueKind.Null ? null : reader.Size(maxSize, ConfigDefaults.LogMaxFileBytes, 1024, long.MaxValue / 2),
                RetainedFiles = (int)reader.Integer(file["retainedFiles"], ConfigDefaults.LogRetainedFiles, 1, 100_000, "log files to keep, the current one included")!.Value,
                Format = reader.Enum(file["format"], ConfigDefaults.LogFileFormat, LogFormats, DocumentedLogFormats),
            },
            WorkerFiles = ReadWorkerFiles(reader, keys["workerFiles"], configDirectory),
            MemoryLines = (int)reader.Integer(keys["memoryLines"], ConfigDefaults.LogMemoryLines, 0, ConfigDefaults.LogMemoryLinesMax, "the number of log lines kept in memory for supervisor logs")!.Value,
        };
    }

    /// <summary>A file name pattern with {id}, or a folder (ending in "/") that gets one worker-{id}.log per worker.</summary>
    private static string? ReadWorkerFiles(ConfigReader reader, ConfigNode node, string configDirectory)
    {
        const string Expected = "a file path with {id} in its name, e.g. \"logs/worker-{id}.log\", or a folder ending in \"/\"";
        var text = reader.String(node, Expected);
        if (text is null)
        {
            return null;
        }

        var pattern = text.EndsWith('/') ? text + ConfigDefaults.WorkerFileName : text;
        if (!Path.GetFileName(pattern).Contains("{id}", StringComparison.Ordinal) || Path.GetDirectoryName(pattern)!.Contains("{id}", StringComparison.Ordinal))
        {
            reader.Error(node, $"expected {Expected} ({{id}} in the file name only, not in a folder); got {JsonDescriptions.Quote(text)}");
            return null;
        }

        return Path.GetFullPath(pattern, configDirectory);
    }

    private static WorkerCount? ReadWorkerCount(ConfigReader reader, ConfigNode node, ConfigEnvironment environment)
    {
        if (node.IsMissing)
        {
            return Auto(environment);
        }

        var value = node.Value!.Value;
        if (value.ValueKind == JsonValueKind.String && value.GetString() == "auto")
        {
            return Auto(environment);
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var count) && count is >= 1 and <= WorkerCount.Max)
        {
            return new WorkerCount(count, IsAuto: false);
        }

        var hint = value.ValueKind == JsonValueKind.String && int.TryParse(value.GetString(), out _) ? "; write the number without quotes" : string.Empty;
        reader.Error(node, $"expected \"auto\" or an integer from 1 to {WorkerCount.Max}, got {JsonDescriptions.Describe(value)}{hint}");
        return null;
    }

    private static WorkerCount Auto(ConfigEnvironment environment) =>
        new(Math.Clamp(environment.ProcessorCount, 1, WorkerCount.Max), IsAuto: true);

    /// <summary>What only makes sense together: https listeners and "tls", a redirect and both kinds of listener, HSTS and https.</summary>
    private static void CheckHttps(ConfigReader reader, IReadOnlyDictionary<string, ConfigNode> keys, IReadOnlyList<(ListenerConfig Listener, ConfigNode Node)>? listeners, TlsConfig? tls, bool redirect, HstsConfig? hsts)
    {
        if (listeners is null)
        {
            return;
        }

        var https = listeners.Where(l => l.Listener.IsHttps).ToList();
        var tlsNode = keys["tls"];
        if (https.Count > 0 && tls is null && tlsNode.IsMissing && !reader.HasOverrideInside(tlsNode))
        {
            reader.Error(https[0].Node, $"{https[0].Listener.Url} is an https:// listener, and there is no \"tls\" section with its certificate: add \"tls\": {{\"certificate\": \".../fullchain.pem\", \"key\": \".../privkey.pem\"}}");
        }

        if (https.Count == 0 && !tlsNode.IsMissing && tlsNode.Value?.ValueKind != JsonValueKind.Null)
        {
            reader.Error(tlsNode, "there is no https:// listener in \"listen\" to serve these certificates on; add one (e.g. \"https://0.0.0.0:443\") or remove \"tls\"");
        }

        if (redirect && https.Count == 0)
        {
            reader.Error(keys["redirectHttpToHttps"], "there is no https:// listener in \"listen\" to redirect to");
        }
        else if (redirect && !listeners.Any(l => !l.Listener.IsHttps && !l.Listener.Http2))
        {
            reader.Error(keys["redirectHttpToHttps"], "there is no http:// listener (without \"http2\") in \"listen\" to redirect from");
        }

        if (hsts is not null && https.Count == 0)
        {
            reader.Error(keys["hsts"], "Strict-Transport-Security is sent on HTTPS answers only, and there is no https:// listener in \"listen\"");
        }
    }

    private static HstsConfig? ReadHsts(ConfigReader reader, ConfigNode node)
    {
        if ((node.IsMissing && !reader.HasOverrideInside(node)) || node.Value?.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var keys = reader.Object(node, HstsKeys);
        var hsts = new HstsConfig
        {
            MaxAge = reader.Duration(keys["maxAge"], ConfigDefaults.HstsMaxAge, TimeSpan.Zero, TimeSpan.FromDays(2 * 365)),
            IncludeSubDomains = reader.Boolean(keys["includeSubDomains"], false),
            Preload = reader.Boolean(keys["preload"], false),
        };
        if (hsts.Preload && (!hsts.IncludeSubDomains || hsts.MaxAge < TimeSpan.FromDays(365)))
        {
            // What hstspreload.org requires before it lists a domain; "preload" without it is a promise not kept.
            reader.Error(keys["preload"], $"the HSTS preload list requires \"includeSubDomains\": true and a \"maxAge\" of at least 365d; got includeSubDomains {(hsts.IncludeSubDomains ? "true" : "false")}, maxAge {DurationParser.Format(hsts.MaxAge)}");
        }

        return hsts;
    }

    private static WorkerConfig? ReadWorker(ConfigReader reader, ConfigNode node, string configDirectory, ConfigEnvironment environment, FrontEndMode frontEnd)
    {
        var keys = reader.Object(node, WorkerKeys);

        var cwdText = reader.String(keys["cwd"], "a folder path (relative to the config file's folder)");
        var cwd = Path.GetFullPath(cwdText ?? ".", configDirectory);
        if (cwdText is not null && !Directory.Exists(cwd))
        {
            reader.Error(keys["cwd"], $"folder \"{cwd}\" does not exist");
        }

        var commandNode = keys["command"];
        var commandText = reader.String(commandNode, "a string: the program to run, e.g. \"dotnet\", \"python3\" or \"./bin/server\"");
        string? command = null;
        if (commandNode.IsMissing || commandText?.Trim().Length == 0)
        {
            reader.Error(commandNode, "required: the program to run for each worker, e.g. \"dotnet\", \"python3\" or \"./bin/server\"");
        }
        else if (commandText is not null)
        {
            command = CommandResolver.Resolve(commandText, configDirectory, environment.SearchPath, out var problem);
            if (command is null)
            {
                reader.Error(commandNode, problem!);
            }
        }

        var args = reader.StringArray(keys["args"], "an array of strings, e.g. [\"app.dll\", \"--port\", \"{port}\"]");
        var env = reader.StringMap(keys["env"], "an object of strings, e.g. {\"ASPNETCORE_ENVIRONMENT\": \"Production\"}");
        if (frontEnd == FrontEndMode.SharedSocket)
        {
            FrontEndRules.CheckCanAcceptInherited(reader, keys["args"], args);
            foreach (var warning in FrontEndRules.Warnings(frontEnd, args, env))
            {
                reader.Warn(warning);
            }
        }
        else
        {
            FrontEndRules.CheckFdPlaceholder(reader, keys["args"], keys["env"]);
        }

        var readiness = ReadReadiness(reader, keys["readiness"], frontEnd);
        var stopTimeout = reader.Duration(keys["stopTimeout"], ConfigDefaults.StopTimeout, TimeSpan.Zero, OneDay);
        var drainTimeout = reader.Duration(keys["drainTimeout"], ConfigDefaults.DrainTimeout, TimeSpan.Zero, OneDay);
        var protocol = reader.Enum(keys["protocol"], WorkerProtocol.Http1, WorkerProtocols, DocumentedWorkerProtocols);
        var cpuAffinity = reader.Enum(keys["cpuAffinity"], CpuAffinity.None, CpuAffinities, DocumentedCpuAffinities);

        return command is null
            ? null
            : new WorkerConfig
            {
                CommandAsWritten = commandText!,
                Command = command,
                Args = args,
                Env = env,
                WorkingDirectory = cwd,
                Protocol = protocol,
                CpuAffinity = cpuAffinity,
                Readiness = readiness,
                StopTimeout = stopTimeout,
                DrainTimeout = drainTimeout,
            };
    }

    private static ProxyConfig ReadProxy(ConfigReader reader, ConfigNode node)
    {
        var keys = reader.Object(node, ProxyKeys);
        return new ProxyConfig
        {
            LoadBalancing = reader.Enum(keys["loadBalancing"], ConfigDefaults.LoadBalancing, Policies, DocumentedPolicies),
            Retry = reader.Boolean(keys["retry"], true),
            RequestTimeout = reader.Duration(keys["requestTimeout"], ConfigDefaults.ProxyRequestTimeout, TimeSpan.FromMilliseconds(100), OneDay),
            ForwardedHeaders = reader.Enum(keys["forwardedHeaders"], ForwardedHeadersMode.Set, ForwardedModes, DocumentedForwardedModes),
            RequestStartHeader = reader.Boolean(keys["requestStartHeader"], false),
        };
    }

    private static LimitsConfig ReadLimits(ConfigReader reader, ConfigNode node)
    {
        var keys = reader.Object(node, LimitsKeys);
        var body = keys["maxRequestBodySize"];
        long? maxBody = body.Value?.ValueKind == JsonValueKind.Null ? null : reader.Size(body, ConfigDefaults.MaxRequestBodyBytes, 0, long.MaxValue / 2);
        return new LimitsConfig
        {
            MaxRequestBodyBytes = maxBody,
            MaxRequestHeadersBytes = (int)reader.Size(keys["maxRequestHeadersSize"], ConfigDefaults.MaxRequestHeadersBytes, 1024, 1024 * 1024)!.Value,
            MaxRequestHeaderCount = (int)reader.Integer(keys["maxRequestHeaderCount"], ConfigDefaults.MaxRequestHeaderCount, 1, 10_000, "request headers at most")!.Value,
            RequestHeadersTimeout = reader.Duration(keys["requestHeadersTimeout"], ConfigDefaults.RequestHeadersTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)),
            KeepAliveTimeout = reader.Duration(keys["keepAliveTimeout"], ConfigDefaults.KeepAliveTimeout, TimeSpan.FromMilliseconds(100), OneDay),
            MaxConnections = reader.Integer(keys["maxConnections"], null, 1, int.MaxValue, "open connections at most (omit it for no limit)"),
            // The ranges are the protocol's (RFC 9113, section 6.5.2) as Kestrel enforces them.
            Http2MaxStreamsPerConnection = (int)reader.Integer(keys["http2MaxStreamsPerConnection"], ConfigDefaults.Http2MaxStreamsPerConnection, 1, int.MaxValue, "concurrent HTTP/2 streams per connection")!.Value,
            Http2HeaderTableSize = (int)reader.Size(keys["http2HeaderTableSize"], ConfigDefaults.Http2HeaderTableSize, 0, int.MaxValue)!.Value,
            Http2InitialConnectionWindowSize = (int)reader.Size(keys["http2InitialConnectionWindowSize"], ConfigDefaults.Http2InitialConnectionWindowSize, 65535, int.MaxValue)!.Value,
            Http2InitialStreamWindowSize = (int)reader.Size(keys["http2InitialStreamWindowSize"], ConfigDefaults.Http2InitialStreamWindowSize, 65535, int.MaxValue)!.Value,
            Http2MaxFrameSize = (int)reader.Size(keys["http2MaxFrameSize"], ConfigDefaults.Http2MaxFrameSize, 16 * 1024, (16 * 1024 * 1024) - 1)!.Value,
        };
    }

    private static RateLimitConfig? ReadRateLimit(ConfigReader reader, ConfigNode node)
    {
        if ((node.IsMissing && !reader.HasOverrideInside(node)) || node.Value?.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var keys = reader.Object(node, RateLimitKeys);
        return new RateLimitConfig
        {
            Requests = (int)reader.Integer(keys["requests"], 100, 1, int.MaxValue, "requests per client per window")!.Value,
            Window = reader.Duration(keys["window"], TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(100), OneDay),
        };
    }

    private static LoadBalancerHealthConfig ReadLoadBalancerHealth(ConfigReader reader, ConfigNode node, IReadOnlyList<ListenerConfig> publicListeners)
    {
        var keys = reader.Object(node, LoadBalancerHealthKeys);
        var path = ReadHttpPath(reader, keys["path"], "(omit it to serve no health path on the public listener)");
        ListenAddress? listen = null;
        if (reader.String(keys["listen"], ListenAddressParser.Expected) is { } text)
        {
            listen = ListenAddressParser.TryParse(text, out var problem);
            if (listen is null)
            {
                reader.Error(keys["listen"], $"expected {ListenAddressParser.Expected}; got {JsonDescriptions.Quote(text)}: {problem}");
            }
            else if (publicListeners.FirstOrDefault(l => l.Port == listen.Port) is { } publicListener)
            {
                reader.Error(keys["listen"], $"port {listen.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)} is already the public listener {publicListener.Url}'s (listen); use another port, or \"path\" to answer on the public listener");
            }
        }

        return new LoadBalancerHealthConfig
        {
            Path = path,
            Listen = listen,
            DrainDelay = reader.Duration(keys["drainDelay"], TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromMinutes(10)),
        };
    }

    private static ControlConfig ReadControl(ConfigReader reader, ConfigNode node, string configFile, ConfigEnvironment environment)
    {
        var keys = reader.Object(node, ControlKeys);
        var text = reader.String(keys["socket"], "a file path for the control socket (relative to the config file's folder)");
        var socket = text is null
            ? RuntimeDirectories.FileFor(environment.RuntimeDirectory, configFile, ".sock")
            : Path.GetFullPath(text, Path.GetDirectoryName(configFile)!);
        var bytes = System.Text.Encoding.UTF8.GetByteCount(socket);
        if (bytes > ControlConfig.MaxSocketPathBytes)
        {
            reader.Error(keys["socket"].IsMissing ? node : keys["socket"], $"the control socket path \"{socket}\" is {bytes} bytes long; Linux allows at most {ControlConfig.MaxSocketPathBytes}: set control.socket to a shorter path");
        }

        return new ControlConfig { Socket = socket };
    }

    private static RestartConfig ReadRestart(ConfigReader reader, ConfigNode node)
    {
        var keys = reader.Object(node, RestartKeys);
        var delay = reader.Duration(keys["delay"], ConfigDefaults.RestartDelay, TimeSpan.Zero, OneDay);
        var maxDelay = reader.Duration(keys["maxDelay"], ConfigDefaults.RestartMaxDelay, TimeSpan.Zero, OneDay);
        if (maxDelay < delay)
        {
            reader.Error(keys["maxDelay"].IsMissing ? keys["delay"] : keys["maxDelay"], $"restart.maxDelay ({DurationParser.Format(maxDelay)}) must not be shorter than restart.delay ({DurationParser.Format(delay)})");
        }

        return new RestartConfig
        {
            Delay = delay,
            MaxDelay = maxDelay,
            Multiplier = reader.Number(keys["multiplier"], ConfigDefaults.RestartMultiplier, 1, 10, "the factor by which each further restart delay grows"),
            Jitter = reader.Number(keys["jitter"], ConfigDefaults.RestartJitter, 0, 1, "the fraction by which each delay is spread"),
            ResetAfter = reader.Duration(keys["resetAfter"], ConfigDefaults.RestartResetAfter, TimeSpan.Zero, OneDay),
            CrashLoopAfter = (int)reader.Integer(keys["crashLoopAfter"], ConfigDefaults.CrashLoopAfter, 1, 1000, "quick exits in a row that mean a crash loop")!.Value,
            MaxRestarts = (int?)reader.Integer(keys["maxRestarts"], null, 1, 1_000_000, "restarts within restart.window before giving up (omit it to never give up)"),
            Window = reader.Duration(keys["window"], ConfigDefaults.RestartWindow, TimeSpan.FromSeconds(1), OneDay),
            NoRestartExitCodes = reader.IntegerArray(keys["noRestartExitCodes"], 0, 255, "exit codes").ToHashSet(),
        };
    }

    private static HealthConfig ReadHealth(ConfigReader reader, ConfigNode node)
    {
        var keys = reader.Object(node, HealthKeys);
        var path = ReadHttpPath(reader, keys["path"], "(omit it to turn health checks off)");
        var unhealthy = (int)reader.Integer(keys["unhealthyThreshold"], ConfigDefaults.HealthUnhealthyThreshold, 1, 100, "failed checks in a row that take a worker out of rotation")!.Value;
        var restart = (int)reader.Integer(keys["restartThreshold"], ConfigDefaults.HealthRestartThreshold, 1, 100, "failed checks in a row that restart a worker")!.Value;
        if (restart < unhealthy)
        {
            reader.Error(keys["restartThreshold"], $"health.restartThreshold ({restart}) must not be smaller than health.unhealthyThreshold ({unhealthy}): a worker leaves rotation before it is restarted");
        }

        return new HealthConfig
        {
            HttpPath = path,
            Interval = reader.Duration(keys["interval"], ConfigDefaults.HealthInterval, TimeSpan.FromMilliseconds(100), OneDay),
            Timeout = reader.Duration(keys["timeout"], ConfigDefaults.HealthTimeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10)),
            UnhealthyThreshold = unhealthy,
            RestartThreshold = restart,
        };
    }

    private static RecycleConfig ReadRecycle(ConfigReader reader, ConfigNode node)
    {
        var keys = reader.Object(node, RecycleKeys);
        return new RecycleConfig
        {
            MaxMemoryMb = (int?)reader.Integer(keys["maxMemoryMb"], null, 1, 1_048_576, "megabytes of resident memory (omit it for no limit)"),
            MaxRequests = reader.Integer(keys["maxRequests"], null, 1, long.MaxValue / 2, "requests served (omit it for no limit)"),
            MaxRequestsJitter = (int)reader.Integer(keys["maxRequestsJitter"], 0, 0, int.MaxValue, "extra requests, chosen at random per worker")!.Value,
        };
    }

    private static string? ReadHttpPath(ConfigReader reader, ConfigNode node, string whenAbsent)
    {
        var path = reader.String(node, $"a string: the HTTP path to GET, starting with \"/\" {whenAbsent}");
        if (path is not null && (!path.StartsWith('/') || path.Any(char.IsWhiteSpace)))
        {
            reader.Error(node, $"expected an HTTP path starting with \"/\" and without spaces, e.g. \"/healthz\"; got {JsonDescriptions.Quote(path)}");
            return null;
        }

        return path;
    }

    private static ReadinessConfig ReadReadiness(ConfigReader reader, ConfigNode node, FrontEndMode frontEnd)
    {
        var keys = reader.Object(node, ReadinessKeys);
        var path = ReadHttpPath(reader, keys["path"], "(omit it for a TCP connect check)");
        var notify = reader.Boolean(keys["notify"], false);
        var accepting = reader.Boolean(keys["accepting"], false);
        var chosen = new[] { (path is not null, "path"), (notify, "notify"), (accepting, "accepting") }.Where(c => c.Item1).Select(c => keys[c.Item2]).ToList();
        if (chosen.Count > 1)
        {
            reader.Error(chosen[1], $"readiness.path, readiness.notify and readiness.accepting are different readiness checks; keep one (also set: {string.Join(", ", chosen.Where(c => c.Path != chosen[1].Path).Select(c => c.Path))})");
        }

        if (accepting && frontEnd != FrontEndMode.SharedSocket)
        {
            reader.Error(keys["accepting"], $"readiness.accepting watches the shared listening socket, which exists only with \"frontEnd\": \"{FrontEndRules.SharedSocketName}\"");
        }

        return new ReadinessConfig
        {
            HttpPath = path,
            Notify = notify,
            Accepting = accepting,
            Timeout = reader.Duration(keys["timeout"], ConfigDefaults.ReadinessTimeout, TimeSpan.FromMilliseconds(1), OneDay),
            Interval = reader.Duration(keys["interval"], ConfigDefaults.ReadinessInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(1)),
        };
    }
}
