using System.Collections.Concurrent;
using System.Diagnostics;
using Cluster.TestSupport;

namespace Cluster.Worker.Tests.Infrastructure;

/// <summary>
/// A worker started with full control of its environment (variables can be removed, not only set) and with stdout and
/// stderr kept apart, for tests about its configuration's defaults, where it keeps running. Killed by PID on dispose.
/// A worker that must refuse its configuration and exit is run to completion instead (WorkerTestBase.RunToExitAsync).
/// </summary>
public sealed class RawWorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    private RawWorkerProcess(Process process)
    {
        _process = process;
        Pid = process.Id;
    }

    public int Pid { get; }

    public IReadOnlyList<string> StandardOutput => [.. _stdout];

    public IReadOnlyList<string> StandardError => [.. _stderr];

    public int ExitCode => _process.ExitCode;

    /// <param name="environment">Variables to set; a null value removes the variable.</param>
    public static RawWorkerProcess Start(IDictionary<string, string?> environment, string workingDirectory, string marker)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        info.ArgumentList.Add(RepositoryPaths.SampleWorkerDll);
        info.Environment[TestProcess.MarkerVariable] = marker;
        info.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
        var raw = new RawWorkerProcess(process);
        process.OutputDataReceived += (_, e) => Collect(raw._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Collect(raw._stderr, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        return raw;
    }

    /// <summary>Waits for exit, and for the last output to be collected; false if it did not exit in time.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Posix.IsAlive(Pid))
        {
            Posix.Signal(Pid, Posix.SIGKILL);
            await WaitForExitAsync(Waits.Patience);
        }

        _process.Dispose();
    }

    private static void Collect(ConcurrentQueue<string> lines, string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
            TestContext.Progress.WriteLine($"[raw] {line}");
        }
    }
}
