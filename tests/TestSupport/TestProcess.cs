using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace Cluster.TestSupport;

/// <summary>
/// A process started by a test: output captured line by line, bounded waits, and killed by PID on dispose.
/// Every process gets <see cref="MarkerVariable"/> in its environment so that descendants can be found in /proc.
/// </summary>
/// <remarks>
/// For processes the test keeps running (the supervisor under test, workers, a stand-in leftover); a command run to
/// completion goes through <see cref="TestCommand"/> (CliWrap). CliWrap does not fit these: its task completes only
/// when stdout and stderr close, not when the process exits (CliWrap#241), so "did the supervisor exit within N
/// seconds" would wait on anything else holding those pipes; it stops a process only with SIGINT or
/// Process.Kill(entireProcessTree), and a tree kill would also take down the workers the teardown must find if the
/// supervisor left them behind; and what the tests do with these processes (signals by PID: SIGTERM, SIGHUP, SIGKILL,
/// SIGTTIN; waiting for a line while they run) is outside its API, which would leave it only the start.
/// </remarks>
public sealed class TestProcess : IAsyncDisposable
{
    public const string MarkerVariable = "CLUSTER_TEST_MARKER";

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly SemaphoreSlim _lineArrived = new(0);
    private readonly Task _pumps;

    private TestProcess(Process process, string marker)
    {
        _process = process;
        Marker = marker;
        Pid = process.Id;
        _pumps = Task.WhenAll(Pump(process.StandardOutput, "out"), Pump(process.StandardError, "err"));
    }

    public int Pid { get; }

    public string Marker { get; }

    public IReadOnlyCollection<string> Lines => _lines.ToArray();

    public string Output => string.Join('\n', _lines);

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static TestProcess StartDotnet(string dll, IEnumerable<string> args, IDictionary<string, string>? env = null, string? cwd = null, string? marker = null) =>
        Start("dotnet", new[] { dll }.Concat(args), env, cwd, marker);

    public static TestProcess Start(string command, IEnumerable<string> args, IDictionary<string, string>? env = null, string? cwd = null, string? marker = null)
    {
        var info = new ProcessStartInfo(command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = cwd ?? Environment.CurrentDirectory,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        marker ??= Guid.NewGuid().ToString("N");
        info.Environment[MarkerVariable] = marker;
        // Tests own the console: no colours, no terminal tricks from child processes.
        info.Environment["NO_COLOR"] = "1";
        foreach (var (key, value) in env ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {command}");
        process.StandardInput.Close();
        return new TestProcess(process, marker);
    }

    /// <summary>Waits for an output line matching the pattern and returns its match.</summary>
    public async Task<Match> WaitForLineAsync(string pattern, TimeSpan timeout, int skip = 0)
    {
        var regex = new Regex(pattern);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var matches = _lines.Select(l => regex.Match(l)).Where(m => m.Success).Skip(skip).ToList();
            if (matches.Count > 0)
            {
                return matches[0];
            }

            var remaining = timeout - deadline.Elapsed;
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException($"No output line matched /{pattern}/ within {timeout.TotalSeconds:0.#}s (pid {Pid}, exited: {HasExited}). Output:\n{Output}");
            }

            await _lineArrived.WaitAsync(remaining < TimeSpan.FromMilliseconds(200) ? remaining : TimeSpan.FromMilliseconds(200));
        }
    }

    public IReadOnlyList<Match> MatchingLines(string pattern)
    {
        var regex = new Regex(pattern);
        return _lines.Select(l => regex.Match(l)).Where(m => m.Success).ToList();
    }

    /// <summary>
    /// Waits for exit, then (bounded) for the last of its output; returns false if it did not exit in time. A process it
    /// left behind may hold its output pipes open: then the output is what arrived, and the caller's leftover check
    /// finds that process.
    /// </summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        await Task.WhenAny(_pumps, Task.Delay(Waits.Patience));
        return true;
    }

    public bool Signal(int signal) => Posix.Signal(Pid, signal);

    public async ValueTask DisposeAsync()
    {
        if (Posix.IsAlive(Pid))
        {
            Posix.Signal(Pid, Posix.SIGKILL);
            await WaitForExitAsync(Waits.Patience);
        }

        _process.Dispose();
    }

    private async Task Pump(StreamReader reader, string stream)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            _lines.Enqueue(line);
            _lineArrived.Release();
            TestContext.Progress.WriteLine($"[{Pid} {stream}] {line}");
        }
    }
}
