using System.Collections.Concurrent;
using Cluster.Supervisor.Processes;
using Cluster.TestSupport;

namespace Cluster.Supervisor.Tests.Processes;

/// <summary>The process wrapper against real /bin/sh children.</summary>
public sealed class ChildProcessTests
{
    private ConcurrentQueue<OutputLine> _lines = new();
    private List<ChildProcess> _started = [];

    [SetUp]
    public void Reset()
    {
        // NUnit runs every test on one fixture instance.
        _lines = new ConcurrentQueue<OutputLine>();
        _started = [];
    }

    [TearDown]
    public void KillWhatWasStarted()
    {
        var survivors = _started.Where(c => Posix.IsAlive(c.Pid)).Select(c => c.Pid).ToList();
        foreach (var pid in survivors)
        {
            Posix.Signal(pid, Posix.SIGKILL);
        }

        foreach (var child in _started)
        {
            child.Dispose();
        }

        Assert.That(survivors, Is.Empty, "a test left a process running");
    }

    [Test]
    public async Task Exit_is_awaitable_and_reports_the_exit_code()
    {
        var child = Start("exit 3");

        var status = await child.Exited.WaitAsync(Waits.Patience);

        Assert.That(status, Is.EqualTo(new ProcessExitStatus(3)));
        Assert.That(status.Describe(), Is.EqualTo("exited with code 3"));
    }

    [Test]
    public async Task Stdout_and_stderr_arrive_line_by_line_tagged_with_stream_and_pid()
    {
        var child = Start("echo one; echo two >&2; printf 'three\\nfour'");

        await child.Exited.WaitAsync(Waits.Patience);

        Assert.That(_lines.Where(l => l.Stream == OutputStream.Stdout).Select(l => l.Text), Is.EqualTo(new[] { "one", "three", "four" }));
        Assert.That(_lines.Where(l => l.Stream == OutputStream.Stderr).Select(l => l.Text), Is.EqualTo(new[] { "two" }));
        Assert.That(_lines.Select(l => l.Pid), Is.All.EqualTo(child.Pid));
    }

    [Test]
    public async Task Stdin_is_closed_so_a_child_reading_it_sees_end_of_file()
    {
        var child = Start("if read line; then exit 1; else exit 0; fi");

        Assert.That((await child.Exited.WaitAsync(Waits.Patience)).ExitCode, Is.EqualTo(0));
    }

    [Test]
    public async Task The_environment_is_added_to_the_parents_and_the_working_directory_is_used()
    {
        var child = ChildProcess.Start(
            new ChildProcessStartInfo("/bin/sh", ["-c", "echo \"$GREETING $HOME\"; pwd"], new Dictionary<string, string> { ["GREETING"] = "hello" }, "/tmp"),
            _lines.Enqueue,
            TimeProvider.System);
        _started.Add(child);

        await child.Exited.WaitAsync(Waits.Patience);

        Assert.That(_lines.Select(l => l.Text), Is.EqualTo(new[] { $"hello {Environment.GetEnvironmentVariable("HOME")}", "/tmp" }));
    }

    [Test]
    public async Task A_graceful_stop_sends_SIGTERM_and_the_exit_reports_it()
    {
        var child = Start("trap 'echo got TERM; exit 0' TERM; echo started; while true; do sleep 0.05; done");
        await WaitForLine("started");

        var outcome = await child.StopAsync(gracePeriod: Waits.Patience, killWait: Waits.Patience);

        Assert.That(outcome, Is.EqualTo(new StopOutcome(new ProcessExitStatus(0), Killed: false)));
        Assert.That(_lines.Select(l => l.Text), Does.Contain("got TERM"));
    }

    [Test]
    public async Task A_child_that_ignores_SIGTERM_is_killed_after_the_grace_period()
    {
        var child = Start("trap '' TERM; echo started; while true; do sleep 0.05; done");
        await WaitForLine("started");

        var outcome = await child.StopAsync(gracePeriod: TimeSpan.FromMilliseconds(300), killWait: Waits.Patience);

        Assert.That(outcome.Killed, Is.True);
        Assert.That(outcome.Status!.Value.Signal, Is.EqualTo(PosixSignals.SIGKILL));
        Assert.That(Posix.IsAlive(child.Pid), Is.False);
    }

    [Test]
    public async Task Death_by_signal_is_reported_as_that_signal()
    {
        var child = Start("echo started; sleep 30");
        await WaitForLine("started");

        Assert.That(child.TrySignal(PosixSignals.SIGKILL), Is.True);
        var status = await child.Exited.WaitAsync(Waits.Patience);

        Assert.That(status.Signal, Is.EqualTo(PosixSignals.SIGKILL));
        Assert.That(status.Describe(), Is.EqualTo("killed by SIGKILL (out of memory?)"));
    }

    [Test]
    public async Task Its_threads_count_as_stopped_once_SIGSTOP_has_taken_effect_and_no_longer_after_SIGCONT()
    {
        var child = Start("echo started; while true; do sleep 0.05; done");
        await WaitForLine("started");
        Assert.That(ProcStat.AllThreadsStopped(child.Pid), Is.False);

        Assert.That(child.TrySignal(PosixSignals.SIGSTOP), Is.True);
        Assert.That(await Eventually.TrueAsync(() => ProcStat.AllThreadsStopped(child.Pid), Waits.Patience), Is.True);

        Assert.That(child.TrySignal(PosixSignals.SIGCONT), Is.True);
        Assert.That(await Eventually.TrueAsync(() => !ProcStat.AllThreadsStopped(child.Pid), Waits.Patience), Is.True);

        child.TrySignal(PosixSignals.SIGKILL);
        await child.Exited.WaitAsync(Waits.Patience);
        Assert.That(ProcStat.AllThreadsStopped(child.Pid), Is.True, "an exited process counts as stopped");
    }

    [Test]
    public async Task Signalling_an_exited_child_returns_false()
    {
        var child = Start("exit 0");
        await child.Exited.WaitAsync(Waits.Patience);

        Assert.That(child.TrySignal(PosixSignals.SIGTERM), Is.False);
    }

    [Test]
    public async Task A_grandchild_holding_the_output_pipe_does_not_delay_the_exit_beyond_the_drain_timeout()
    {
        // The grandchild outlives the wait by far: an exit seen at all means the drain did not wait for it.
        var child = Start("sleep 600 & echo $! ; exit 0");
        await WaitForLine(string.Empty);
        var grandchild = int.Parse(_lines.First().Text, System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            // Throws TimeoutException if the exit waited for the grandchild's pipe.
            await child.Exited.WaitAsync(Waits.Patience);
        }
        finally
        {
            Posix.Signal(grandchild, Posix.SIGKILL);
        }
    }

    [Test]
    public void A_program_that_does_not_exist_fails_to_start_with_a_clear_message()
    {
        var error = Assert.Throws<ChildProcessStartException>(() => ChildProcess.Start(
            new ChildProcessStartInfo("/nonexistent/server", [], new Dictionary<string, string>(), "/tmp"),
            _lines.Enqueue,
            TimeProvider.System));

        Assert.That(error!.Message, Does.StartWith("cannot run /nonexistent/server:"));
    }

    private ChildProcess Start(string script)
    {
        var child = ChildProcess.Start(new ChildProcessStartInfo("/bin/sh", ["-c", script], new Dictionary<string, string>(), "/tmp"), _lines.Enqueue, TimeProvider.System);
        _started.Add(child);
        return child;
    }

    private async Task WaitForLine(string fragment)
    {
        var seen = await Eventually.TrueAsync(() => _lines.Any(l => l.Text.Contains(fragment, StringComparison.Ordinal)), Waits.Patience);
        Assert.That(seen, Is.True, $"no output line containing \"{fragment}\"");
    }
}
