using System.ComponentModel;
using System.Diagnostics;

using Cluster.Supervisor.Workers;

namespace Cluster.Supervisor.Processes;

/// <summary>
/// A child process: an awaitable exit, stdout and stderr delivered line by line, a graceful stop (its stop signal) and a
/// forced kill (SIGKILL) with a bounded wait, both to its process group when it leads one. It hides System.Diagnostics.Process's quirks: stdin
/// is closed at once so no child blocks reading it, and a grandchild that keeps our pipes open cannot hold up the exit.
/// </summary>
/// <remarks>
/// Not CliWrap (3.10.5, which the tests use for commands run to completion), because it cannot do this job (checked
/// in its source): its result completes only once stdout and stderr are closed, after the exit, so a wrapper script's
/// background child holding them would hold up the supervisor's view of the exit for as long as it lives
/// (CliWrap#241, open; #185, won't fix); here the exit completes when the process exits, and its output is read for
/// at most <see cref="OutputDrainTimeout"/> more. And its cancellation sends SIGINT (kill(pid, 2)), not the SIGTERM
/// workers expect, and then Process.Kill(entireProcessTree), which kills the descendants it finds through /proc, not
/// the worker's process group that <see cref="TrySignal"/> and <see cref="KillLeftoverGroup"/> signal. Two more facts
/// that do not decide: it has no hook between fork and exec either (only the ProcessStartInfo and the started
/// Process), so PR_SET_PDEATHSIG and setsid would still go through <see cref="ExecShim"/>; and it always redirects
/// stdin, as this class does (both give the worker an empty pipe, closed at once).
/// </remarks>
internal sealed class ChildProcess : IWorkerProcess, IDisposable
{
    /// <summary>How long to keep reading output after exit; a grandchild holding the pipe open must not block us.</summary>
    private static readonly TimeSpan OutputDrainTimeout = TimeSpan.FromSeconds(2);

    private readonly Process _process;
    private readonly Action<OutputLine> _onOutput;
    private readonly TimeProvider _time;

    /// <summary>How many of its last output lines a process keeps, for reports such as a failed reload.</summary>
    public const int RecentLines = 20;

    private readonly bool _signalWholeGroup;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _recent = new();

    private ChildProcess(Process process, ChildProcessStartInfo startInfo, Action<OutputLine> onOutput, TimeProvider time, ExecStatusPipe? execStatus)
    {
        _process = process;
        _signalWholeGroup = startInfo.SignalWholeGroup;
        _onOutput = onOutput;
        _time = time;
        Pid = process.Id;
        StopSignal = startInfo.StopSignal;
        User = startInfo.User;
        var stdout = PumpAsync(process.StandardOutput, OutputStream.Stdout);
        var stderr = PumpAsync(process.StandardError, OutputStream.Stderr);
        Exited = WaitForExitAsync(Task.WhenAll(stdout, stderr), execStatus);
    }

    public int Pid { get; }

    public int StopSignal { get; }

    public string User { get; }

    /// <summary>Completes once the process has exited and its output has been read (or the drain timed out).</summary>
    public Task<ProcessExitStatus> Exited { get; }

    public bool HasExited => Exited.IsCompleted;

    public IReadOnlyList<string> RecentOutput => _recent.ToArray();

    /// <param name="execStatus">Started through <see cref="ExecShim"/>: where it reports a failed exec, which then
    /// ends the process with <see cref="ProcessExitStatus.StartFailure"/> set. The caller closes its write end once this returns.</param>
    /// <exception cref="ChildProcessStartException">The program could not be executed.</exception>
    public static ChildProcess Start(ChildProcessStartInfo startInfo, Action<OutputLine> onOutput, TimeProvider time, ExecStatusPipe? execStatus = null)
    {
        var info = new ProcessStartInfo(startInfo.FileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = startInfo.WorkingDirectory,
        };
        foreach (var argument in startInfo.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in startInfo.Environment)
        {
            info.Environment[name] = value;
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("Process.Start returned no process");
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException or IOException)
        {
            throw new ChildProcessStartException($"cannot run {startInfo.FileName}: {e.Message}", e);
        }

        process.StandardInput.Close();
        return new ChildProcess(process, startInfo, onOutput, time, execStatus);
    }

    /// <summary>Sends a signal (to its process group, if it has its own); false when the process has already exited.</summary>
    public bool TrySignal(int signal) => !HasExited && !_process.HasExited && PosixSignals.Send(_signalWholeGroup ? -Pid : Pid, signal);

    /// <summary>
    /// After the exit: SIGKILL to whatever is left of its process group (children of a wrapper script that outlived
    /// it). True when something was left. A group ID is not reused while any member lives, so this hits nothing else.
    /// </summary>
    public bool KillLeftoverGroup() => _signalWholeGroup && HasExited && PosixSignals.Send(-Pid, PosixSignals.SIGKILL);

    /// <summary>Its stop signal, then SIGKILL if it is still running after <paramref name="gracePeriod"/>, then waits at most <paramref name="killWait"/>.</summary>
    public async Task<StopOutcome> StopAsync(TimeSpan gracePeriod, TimeSpan killWait, CancellationToken cancellationToken = default)
    {
        TrySignal(StopSignal);
        if (await CompletesWithinAsync(Exited, gracePeriod, cancellationToken))
        {
            return new StopOutcome(await Exited, Killed: false);
        }

        TrySignal(PosixSignals.SIGKILL);
        return await CompletesWithinAsync(Exited, killWait, cancellationToken)
            ? new StopOutcome(await Exited, Killed: true)
            : new StopOutcome(null, Killed: true);
    }

    public void Dispose() => _process.Dispose();

    private async Task<bool> CompletesWithinAsync(Task task, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await task.WaitAsync(timeout, _time, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private async Task<ProcessExitStatus> WaitForExitAsync(Task outputPumps, ExecStatusPipe? execStatus)
    {
        using (execStatus)
        {
            // Read from the start: the pipe is closed by the exec (nothing to read) or by the shim's exit after a failure.
            var startFailure = execStatus?.ReadFailureAsync();

            // Output is read by our own pumps, not BeginOutputReadLine, so this waits for the exit only.
            await _process.WaitForExitAsync();
            await CompletesWithinAsync(outputPumps, OutputDrainTimeout, CancellationToken.None);
            return new ProcessExitStatus(_process.ExitCode)
            {
                StartFailure = startFailure is not null && await CompletesWithinAsync(startFailure, OutputDrainTimeout, CancellationToken.None) ? await startFailure : null,
            };
        }
    }

    private async Task PumpAsync(StreamReader reader, OutputStream stream)
    {
        // Yield first: the constructor must not run the reads (and any synchronous callback) inline.
        await Task.Yield();
        try
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                _recent.Enqueue($"{(stream == OutputStream.Stdout ? "out" : "err")}| {line}");
                while (_recent.Count > RecentLines)
                {
                    _recent.TryDequeue(out _);
                }

                _onOutput(new OutputLine(Pid, stream, line));
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The pipe broke or was closed after exit: nothing more to read.
        }
    }
}
