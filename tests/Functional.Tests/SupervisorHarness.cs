using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cluster.TestSupport;

namespace Cluster.Functional.Tests;

/// <summary>One `supervisor start` run: its own folder, config, free public port and log.</summary>
internal sealed class SupervisorHarness : IAsyncDisposable
{
    public static readonly TimeSpan Patience = Waits.Patience;

    /// <summary>The `supervisor` executable of a self-contained build, or null for `dotnet supervisor.dll`.</summary>
    private readonly string? _executable;

    /// <summary>The run's own folder, when the harness made it (deleted with the harness).</summary>
    private readonly TempFolder? _ownFolder;

    private SupervisorHarness(TestProcess process, string folder, int port, string? executable = null, TempFolder? ownFolder = null, string? controlSocket = null)
    {
        _executable = executable;
        _ownFolder = ownFolder;
        Process = process;
        Folder = folder;
        Port = port;
        ControlSocket = controlSocket ?? Path.Combine(folder, "control.sock");
        Http = new HttpClient { BaseAddress = new Uri(Url), Timeout = Patience };
    }

    public TestProcess Process { get; }

    public string Folder { get; }

    public int Port { get; }

    /// <summary>The control socket's path: the test config's own "control.socket", else the run's folder's.</summary>
    public string ControlSocket { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public HttpClient Http { get; }

    /// <summary>A config that runs the test worker; <paramref name="worker"/> entries are merged into "worker".</summary>
    public static JsonObject TestWorkerConfig(int workers, JsonObject? worker = null, JsonObject? env = null)
    {
        var workerSection = new JsonObject
        {
            ["command"] = "dotnet",
            ["args"] = new JsonArray(RepositoryPaths.TestWorkerDll),
            ["env"] = env ?? new JsonObject(),
        };
        foreach (var (key, value) in worker ?? new JsonObject())
        {
            workerSection[key] = value?.DeepClone();
        }

        // No reload confirmation window (reload.confirmAfter, 30s by default): the tests that reload without being about
        // the window would wait it out; the ones about it set their own.
        return new JsonObject { ["workers"] = workers, ["worker"] = workerSection, ["reload"] = new JsonObject { ["confirmAfter"] = "0s" } };
    }

    /// <summary>Writes the config (with "listen" on a free loopback port) and starts the supervisor on it.</summary>
    public static SupervisorHarness Start(JsonObject config, params string[] extraArgs) =>
        StartThrough(config, (args, folder) => TestProcess.StartDotnet(RepositoryPaths.SupervisorDll, args, cwd: folder), extraArgs);

    /// <summary>
    /// Like <see cref="Start"/>, but <paramref name="launch"/> starts the process, given the supervisor's arguments and
    /// folder: to add environment, or to go through a shell that execs it.
    /// </summary>
    public static SupervisorHarness StartThrough(JsonObject config, Func<string[], string, TestProcess> launch, params string[] extraArgs) =>
        StartThrough(config, launch, executable: null, extraArgs);

    /// <summary>Like <see cref="Start"/>, with a self-contained build's `supervisor` executable, for start and every command.</summary>
    public static SupervisorHarness StartExecutable(string executable, JsonObject config) =>
        StartThrough(config, (args, folder) => TestProcess.Start(executable, args, cwd: folder), executable, []);

    private static SupervisorHarness StartThrough(JsonObject config, Func<string[], string, TestProcess> launch, string? executable, string[] extraArgs)
    {
        var folder = new TempFolder("functional");
        var port = FirstHttpPort(config) ?? FreePort.Next();
        Localize(config, folder.Path, port);
        var configPath = folder.Combine("supervisor.json");
        ConfigFiles.Write(configPath, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        var controlSocket = (string?)config["control"]?["socket"];
        return new SupervisorHarness(launch(["start", "--config", configPath, .. extraArgs], folder.Path), folder.Path, port, executable, folder, controlSocket);
    }

    /// <summary>
    /// Listens on the test's port; keeps run-time files in the test's own folder rather than the user's runtime
    /// directory, so nothing outlives the test. Explicit pidFile or control settings are kept.
    /// </summary>
    private static void Localize(JsonObject config, string folder, int port)
    {
        if (config["listen"] is not JsonArray)
        {
            config["listen"] = $"http://127.0.0.1:{port}";
        }

        config["pidFile"] ??= Path.Combine(folder, "supervisor.pids.json");
        config["control"] ??= new JsonObject { ["socket"] = Path.Combine(folder, "control.sock") };
    }

    /// <summary>
    /// The port of the first http:// listener of a test's own "listen" list (an array: HTTPS and h2c tests set up
    /// several listeners), if any. A single URL is the harness's own from an earlier start: a new start gets a new port.
    /// </summary>
    private static int? FirstHttpPort(JsonObject config)
    {
        if (config["listen"] is not JsonArray listeners)
        {
            return null;
        }

        var url = listeners.Select(e => e is JsonObject listener ? (string?)listener["url"] : (string?)e).FirstOrDefault(u => u?.StartsWith("http://", StringComparison.Ordinal) == true);
        return url is null ? null : new Uri(url).Port;
    }

    /// <summary>Starts the supervisor with exactly these arguments (for the shipped config, or bad usage).</summary>
    public static SupervisorHarness StartWith(string[] args, string folder, int port) =>
        new(TestProcess.StartDotnet(RepositoryPaths.SupervisorDll, args, cwd: folder), folder, port);

    /// <summary>Every worker PID the supervisor has started so far, from its log.</summary>
    public IReadOnlyList<int> WorkerPids() => WorkerPidsIn(Process.Lines);

    /// <summary>Every worker PID a supervisor's log lines show it started.</summary>
    public static IReadOnlyList<int> WorkerPidsIn(IEnumerable<string> lines) =>
        lines.Select(l => Regex.Match(l, @"worker \d+ \[pid (\d+)\] \w+ -> Starting")).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).Distinct().ToList();

    public string ConfigPath => Path.Combine(Folder, "supervisor.json");

    /// <summary>Runs a `supervisor` command (status, reload, ...) against this supervisor's config; returns its exit code and output.</summary>
    public async Task<(int ExitCode, string Output)> CommandAsync(params string[] args)
    {
        string[] arguments = [.. args, "--config", ConfigPath];
        var timeout = TimeSpan.FromMinutes(2);
        var command = _executable is null
            ? await TestCommand.RunDotnetAsync(RepositoryPaths.SupervisorDll, arguments, timeout, Folder, marker: Process.Marker)
            : await TestCommand.RunAsync(_executable, arguments, timeout, Folder, marker: Process.Marker);
        return (command.ExitCode, command.Output);
    }

    /// <summary>Rewrites this supervisor's config file (for reload and SIGHUP).</summary>
    public void RewriteConfig(JsonObject config)
    {
        Localize(config, Folder, Port);
        ConfigFiles.Write(ConfigPath, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>HTTP over the supervisor's control socket, as `curl --unix-socket` does (GET /metrics, /v1/status, ...).</summary>
    public HttpClient ControlClient() => new(new SocketsHttpHandler
    {
        UseProxy = false,
        ConnectCallback = async (_, cancellationToken) =>
        {
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(ControlSocket), cancellationToken);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    {
        BaseAddress = new Uri("http://supervisor/"),
        Timeout = Patience,
    };

    /// <summary>GET /metrics on the control socket, read with the strict Prometheus text parser.</summary>
    public async Task<PrometheusScrape> ScrapeAsync()
    {
        using var control = ControlClient();
        return PrometheusScrape.Parse(await control.GetStringAsync("/metrics"));
    }

    /// <summary>
    /// GET /v1/status on the control socket, parsed: the JSON `supervisor status --json` prints. No `supervisor`
    /// process per call (each one costs half a CPU-second of start-up on the CI machine); the tests about the command
    /// itself use <see cref="StatusFromCommandAsync"/>.
    /// </summary>
    public async Task<JsonObject> StatusAsync()
    {
        using var control = ControlClient();
        using var response = await control.GetAsync("/v1/status");
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.IsSuccessStatusCode, Is.True, $"GET /v1/status answered {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>
    /// GET /v1/status until <paramref name="condition"/> holds (within <see cref="Patience"/>); returns that status, or
    /// fails with the last one. For what the status shows only after a worker's exit was handled: a reload or scale
    /// answers once the old workers were told to stop, and a stopped worker leaves the list when the supervisor has
    /// reaped it, a moment after its process is gone. Also right after the start: until the control socket is there, a
    /// poll that cannot connect just counts as not yet.
    /// </summary>
    public async Task<JsonObject> StatusWhenAsync(Func<JsonObject, bool> condition, string what)
    {
        JsonObject? last = null;
        var reached = await Eventually.TrueAsync(async () => await TryStatusAsync() is { } status && condition(last = status), Patience, TimeSpan.FromMilliseconds(100));
        Assert.That(reached, Is.True, $"the status did not show {what} within {Patience}; the last one:\n{last}\n{Process.Output}");
        return last!;
    }

    private async Task<JsonObject?> TryStatusAsync()
    {
        try
        {
            return await StatusAsync();
        }
        catch (Exception e) when (e is HttpRequestException or System.Net.Sockets.SocketException or IOException)
        {
            return null;
        }
    }

    /// <summary>The PIDs of the workers a status lists, in its order.</summary>
    public static List<int> PidsListedIn(JsonObject status) => status["workers"]!.AsArray().Select(w => (int)w!["pid"]!).ToList();

    /// <summary>`supervisor status --json`, parsed; by --socket when the config file may be unreadable.</summary>
    public async Task<JsonObject> StatusFromCommandAsync(bool bySocket = false)
    {
        var (exitCode, output) = bySocket ? await CommandAsync("status", "--json", "--socket", ControlSocket) : await CommandAsync("status", "--json");
        Assert.That(exitCode, Is.EqualTo(0), output);
        return JsonNode.Parse(output)!.AsObject();
    }

    /// <summary>PIDs the supervisor started for one worker id, in order.</summary>
    public IReadOnlyList<int> PidsOf(int workerId) =>
        Process.MatchingLines($@"worker {workerId} \[pid (\d+)\] \w+ -> Starting").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();

    /// <summary>Waits for the log to show <paramref name="count"/> workers becoming ready, counted from the start.</summary>
    public Task WaitForReadyAsync(int count) => Process.WaitForLineAsync(@"-> Ready", Patience, skip: count - 1);

    /// <summary>GET / until every id in 0..count-1 has answered (test worker); returns id -> pid.</summary>
    public async Task<Dictionary<int, int>> WaitForAllWorkersAsync(int count)
    {
        var seen = new Dictionary<int, int>();
        var clock = Stopwatch.StartNew();
        for (var attempt = 0; attempt < 2000 && seen.Count < count && clock.Elapsed < Patience; attempt++)
        {
            try
            {
                using var response = await Http.GetAsync("/");
                if (response.IsSuccessStatusCode)
                {
                    var body = await response.Content.ReadFromJsonAsync<JsonObject>();
                    seen[(int)body!["id"]!] = (int)body["pid"]!;
                    continue;
                }
            }
            catch (HttpRequestException)
            {
                // The front end may not be listening yet.
            }

            await Task.Delay(50);
        }

        Assert.That(seen.Keys, Is.EquivalentTo(Enumerable.Range(0, count)), $"not every worker answered within {Patience}:\n{Process.Output}");
        return seen;
    }

    /// <summary>Sends the signal and waits for the supervisor to exit; returns its exit code.</summary>
    public async Task<int> StopAsync(int signal = Posix.SIGTERM)
    {
        Process.Signal(signal);
        Assert.That(await Process.WaitForExitAsync(Patience), Is.True, $"the supervisor did not exit after signal {signal}:\n{Process.Output}");
        return Process.ExitCode;
    }

    /// <summary>
    /// Stops the supervisor gracefully if it is still running, then kills every process still carrying its marker and
    /// returns their PIDs: a non-empty answer means the supervisor left something behind.
    /// </summary>
    public async Task<IReadOnlyList<int>> KillLeftoversAsync()
    {
        if (Posix.IsAlive(Process.Pid))
        {
            Process.Signal(Posix.SIGTERM);
            await Process.WaitForExitAsync(Patience);
        }

        await Process.DisposeAsync();
        return await LeftoverProcesses.KillAllAsync(Process.Marker);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await KillLeftoversAsync();
        try
        {
            _ownFolder?.Dispose();
        }
        catch (IOException)
        {
            // A worker may still be writing into it for a moment.
        }
    }
}
