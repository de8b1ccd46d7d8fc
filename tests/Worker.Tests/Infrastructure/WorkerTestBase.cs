using Cluster.TestSupport;

namespace Cluster.Worker.Tests.Infrastructure;

/// <summary>
/// Per test: a marker carried by every process the test starts, and a temporary folder that holds the database and is
/// the processes' working directory. TearDown kills what was started, by PID, and fails the test if anything carrying
/// the marker was still alive after that.
/// </summary>
public abstract class WorkerTestBase
{
    protected static readonly TimeSpan StartTimeout = Waits.Patience;
    protected static readonly TimeSpan ExitTimeout = Waits.Patience;

    private const int MaxStartAttempts = 3;
    private const string ListeningPattern = @"worker (\d+) listening on http://127\.0\.0\.1:(\d+) \(pid (\d+)\)";

    private readonly List<TestProcess> _processes = [];
    private readonly List<RunningWorker> _workers = [];
    private readonly List<RawWorkerProcess> _rawProcesses = [];
    private readonly Lock _gate = new();
    private TempFolder? _sandbox;

    protected string Marker { get; private set; } = "";

    protected string Sandbox => _sandbox!.Path;

    protected string DatabasePath => Path.Combine(Sandbox, "users.db");

    [SetUp]
    public void CreateSandbox()
    {
        Marker = $"worker-tests-{Guid.NewGuid():N}";
        _sandbox = new TempFolder("worker-tests");
    }

    [TearDown]
    public async Task KillProcessesAndDeleteSandbox()
    {
        foreach (var worker in _workers)
        {
            worker.Client.Dispose();
        }

        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        foreach (var process in _rawProcesses)
        {
            await process.DisposeAsync();
        }

        var leftovers = await LeftoverProcesses.KillAllAsync(Marker);
        _sandbox!.Dispose();
        Assert.That(leftovers, Is.Empty, "processes still running after TearDown killed the ones the test started");
    }

    /// <summary>Starts a worker on a free loopback port and waits for its "listening" line. Safe to call concurrently.</summary>
    protected async Task<RunningWorker> StartWorkerAsync(
        int workerId = 0, bool testEndpoints = false, IReadOnlyDictionary<string, string>? extraEnvironment = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Next();
            var environment = new Dictionary<string, string>
            {
                ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["WORKER_ID"] = workerId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["USERS_DB"] = DatabasePath,
                ["WORKER_ENABLE_TEST_ENDPOINTS"] = testEndpoints ? "1" : "0",
            };
            foreach (var (name, value) in extraEnvironment ?? new Dictionary<string, string>())
            {
                environment[name] = value;
            }

            var process = StartProcess(environment);

            if (await WaitUntilListeningOrExitedAsync(process))
            {
                var worker = new RunningWorker(process, port, workerId);
                lock (_gate)
                {
                    _workers.Add(worker);
                }

                return worker;
            }

            // FreePort only knows the port was free a moment ago; exit code 1 is the worker's "could not listen".
            if (process.ExitCode != 1 || attempt == MaxStartAttempts)
            {
                Assert.Fail($"worker exited with code {process.ExitCode} before listening. Output:\n{process.Output}");
            }
        }
    }

    /// <summary>Starts the built worker with these variables set on top of the test runner's environment.</summary>
    protected TestProcess StartProcess(IDictionary<string, string> environment)
    {
        var process = TestProcess.StartDotnet(RepositoryPaths.SampleWorkerDll, [], environment, Sandbox, Marker);
        lock (_gate)
        {
            _processes.Add(process);
        }

        return process;
    }

    /// <summary>Runs the built worker until it exits (it must refuse its configuration); a null value removes that variable.</summary>
    protected Task<CommandOutput> RunToExitAsync(IReadOnlyDictionary<string, string?> environment) =>
        TestCommand.RunDotnetAsync(RepositoryPaths.SampleWorkerDll, [], ExitTimeout, Sandbox, environment, Marker);

    /// <summary>Starts the built worker with stdout and stderr apart; a null value removes that variable.</summary>
    protected RawWorkerProcess StartRawProcess(IDictionary<string, string?> environment)
    {
        var process = RawWorkerProcess.Start(environment, Sandbox, Marker);
        lock (_gate)
        {
            _rawProcesses.Add(process);
        }

        return process;
    }

    private static async Task<bool> WaitUntilListeningOrExitedAsync(TestProcess process)
    {
        var settled = await Eventually.TrueAsync(
            () => process.MatchingLines(ListeningPattern).Count > 0 || process.HasExited,
            StartTimeout,
            TimeSpan.FromMilliseconds(20));
        if (!settled)
        {
            Assert.Fail($"worker neither listened nor exited within {StartTimeout.TotalSeconds} s. Output:\n{process.Output}");
        }

        if (process.MatchingLines(ListeningPattern).Count > 0)
        {
            return true;
        }

        await process.WaitForExitAsync(ExitTimeout);
        return false;
    }
}
