using Cluster.Shared.Configuration;
using Cluster.Supervisor.Processes;
using Cluster.Supervisor.Tests.Fakes;
using Cluster.Supervisor.Workers;
using Cluster.Supervisor.Workers.Events;
using Cluster.Supervisor.Workers.Operations;
using Microsoft.Extensions.Logging;
using Cluster.TestSupport;

namespace Cluster.Supervisor.Tests.Workers;

/// <summary>reload, scale, SIGHUP, SIGTTIN/SIGTTOU as the control loop carries them out.</summary>
public sealed class ControlLoopOperationsTests
{
    [Test]
    public async Task Reload_replaces_every_slot_one_at_a_time_with_the_new_config_and_capacity_never_drops()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 3));
        await harness.AllReadyAsync();
        var originals = harness.Launcher.Launched.ToList();
        var newConfig = harness.Config.WithApp(a => a with { Worker = a.Worker with { Args = ["--version", "2"] } });
        harness.ConfigSource.Next = ConfigLoadResult.Valid(newConfig);
        var publishedBefore = harness.FrontEnd.History.Count;

        var answer = await harness.RequestAsync(reply => new ReloadRequested(reply));
        for (var slot = 0; slot < 3; slot++)
        {
            Assert.That(harness.Launcher.Launched, Has.Count.EqualTo(4 + slot), $"slot {slot}: replacements must start one at a time");
            var replacement = harness.Launcher.Launched[^1];
            Assert.That(replacement.WorkerId, Is.EqualTo(slot));
            harness.Readiness.MarkReady(replacement.Port);
            await harness.SnapshotAsync();
            Assert.That(originals[slot].Signals, Is.Empty, "SIGTERM before the old worker drained");
            harness.FrontEnd.MakeIdle(new WorkerEndpoint(AppConfig.DefaultName, slot, originals[slot].Pid, originals[slot].Port));
            await harness.SnapshotAsync();
            originals[slot].Exit(0);
        }

        var result = await answer.WaitAsync(Waits.Patience);
        Assert.That(result.Ok, Is.True, result.Message);
        Assert.That(result.Message, Does.StartWith("reloaded 3 worker(s): 0 (pid "));
        Assert.That(harness.Launcher.Configs.Skip(3).Select(c => c.Args), Is.All.EqualTo(new[] { "--version", "2" }));
        Assert.That(harness.FrontEnd.History.Skip(publishedBefore).Select(list => list.Count), Is.All.EqualTo(3), "a publish had fewer than 3 ready workers");
        var table = await harness.SnapshotAsync();
        Assert.That(table.Select(w => w.Pid), Is.EquivalentTo(harness.Launcher.Launched.Skip(3).Select(p => (int?)p.Pid)));
        Assert.That((await harness.StatusAsync())!.Generation, Is.EqualTo(2));
    }

    [Test]
    public async Task A_reload_whose_new_worker_fails_stops_there_reports_its_last_output_and_leaves_the_old_workers_serving()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 2));
        await harness.AllReadyAsync();
        var originals = harness.Launcher.Launched.ToList();

        var answer = await harness.RequestAsync(reply => new ReloadRequested(reply));
        var broken = harness.Launcher.Launched[^1];
        broken.Output.AddRange(["err| boom: missing setting", "err| exiting"]);
        broken.Exit(1);
        var result = await answer.WaitAsync(Waits.Patience);

        Assert.That(result.Ok, Is.False);
        Assert.That(result.Message, Does.StartWith($"reload stopped: the new worker 0 (pid {broken.Pid}) exited with code 1 after 0ms uptime; 0 of 2 slot(s) had been replaced; the old workers keep serving"));
        Assert.That(result.Details, Is.EqualTo(new[] { "err| boom: missing setting", "err| exiting" }));
        Assert.That(harness.FrontEnd.Current.Select(e => e.Pid), Is.EqualTo(originals.Select(p => p.Pid)));
        Assert.That(originals.SelectMany(p => p.Signals), Is.Empty);
        await harness.AdvanceAsync(TimeSpan.FromSeconds(5));
        Assert.That(harness.Launcher.Launched, Has.Count.EqualTo(3), "the reload went on after a failure");

        var again = await harness.RequestAsync(reply => new ReloadRequested(reply));
        Assert.That(harness.Launcher.Launched, Has.Count.EqualTo(4), "a new reload was refused after a failed one");
        Assert.That(again.IsCompleted, Is.False);
    }

    [Test]
    public async Task A_reload_with_an_invalid_config_changes_nothing_and_says_why()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 1));
        await harness.AllReadyAsync();
        harness.ConfigSource.Next = ConfigLoadResult.Invalid([new ConfigError("$.workers", "expected \"auto\" or an integer from 1 to 1024, got a number (0)")]);

        var result = await (await harness.RequestAsync(reply => new ReloadRequested(reply))).WaitAsync(Waits.Patience);

        Assert.That(result, Is.EqualTo(result with { Ok = false, InvalidConfig = true, Message = "reload refused: the config is invalid; generation 1 stays in force" }));
        Assert.That(result.Details, Is.EqualTo(new[] { "$.workers: expected \"auto\" or an integer from 1 to 1024, got a number (0)" }));
        Assert.That(harness.Launcher.Launched, Has.Count.EqualTo(1));
        Assert.That((await harness.StatusAsync())!.Generation, Is.EqualTo(1));
    }

    [Test]
    public async Task Only_one_operation_runs_at_a_time()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 2));
        await harness.AllReadyAsync();
        await harness.RequestAsync(reply => new ReloadRequested(reply));

        var second = await (await harness.RequestAsync(reply => new ReloadRequested(reply))).WaitAsync(Waits.Patience);
        var scale = await (await harness.RequestAsync(reply => new ScaleRequested(new ScaleTarget(3, Relative: false), reply))).WaitAsync(Waits.Patience);

        Assert.That(second.Message, Is.EqualTo("reload refused: a rolling reload (supervisor reload) is in progress"));
        Assert.That(scale.Message, Is.EqualTo("scale refused: a rolling reload (supervisor reload) is in progress"));
        Assert.That((await harness.StatusAsync())!.Operation, Is.EqualTo("a rolling reload (supervisor reload) is in progress"));
    }

    [Test]
    public async Task A_reload_starts_a_failed_slot_again()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 1, restart: TestConfigs.Restart(noRestartExitCodes: [3])));
        await harness.SnapshotAsync();
        harness.Launcher.Latest(0).Exit(3);
        Assert.That((await harness.WorkerAsync(0)).State, Is.EqualTo(WorkerState.Failed));

        var answer = await harness.RequestAsync(reply => new ReloadRequested(reply));
        harness.Readiness.MarkReady(harness.Launcher.Latest(0).Port);
        var result = await answer.WaitAsync(Waits.Patience);

        Assert.That(result.Ok, Is.True, result.Message);
        Assert.That((await harness.WorkerAsync(0)).State, Is.EqualTo(WorkerState.Ready));
        Assert.That(harness.Log.Contains("Failed -> Starting"), Is.True);
    }

    [Test]
    public async Task Scale_up_answers_once_the_new_workers_are_ready()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 2));
        await harness.AllReadyAsync();

        var answer = await harness.RequestAsync(reply => new ScaleRequested(new ScaleTarget(2, Relative: true), reply));
        Assert.That(harness.Launcher.Launched.Select(p => p.WorkerId), Is.EqualTo(new[] { 0, 1, 2, 3 }));
        Assert.That(answer.IsCompleted, Is.False);
        await harness.AllReadyAsync();

        var result = await answer.WaitAsync(Waits.Patience);
        Assert.That(result, Is.EqualTo(OperationResult.Success("scaled up from 2 to 4 worker(s); all ready")));
        Assert.That(harness.FrontEnd.Current, Has.Count.EqualTo(4));
    }

    [Test]
    public async Task Scale_down_drains_the_highest_slots_before_stopping_them()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 3));
        await harness.AllReadyAsync();
        var removed = harness.Launcher.Latest(2);

        var answer = await harness.RequestAsync(reply => new ScaleRequested(new ScaleTarget(2, Relative: false), reply));

        Assert.That((await harness.WorkerAsync(2)).State, Is.EqualTo(WorkerState.Draining));
        Assert.That(harness.FrontEnd.Current.Select(e => e.WorkerId), Is.EqualTo(new[] { 0, 1 }));
        Assert.That(removed.Signals, Is.Empty, "scale down must not kill before draining");
        harness.FrontEnd.MakeIdle(new WorkerEndpoint(AppConfig.DefaultName, 2, removed.Pid, removed.Port));
        await harness.SnapshotAsync();
        Assert.That(removed.Signals, Is.EqualTo(new[] { PosixSignals.SIGTERM }));
        removed.Exit(0);

        var result = await answer.WaitAsync(Waits.Patience);
        Assert.That(result.Message, Is.EqualTo("scaled down from 3 to 2 worker(s); removed workers drained and stopped"));
        Assert.That((await harness.SnapshotAsync()).Select(w => w.Id), Is.EqualTo(new[] { 0, 1 }));
        Assert.That(harness.Log.Contains("Exited -> Stopped: not restarted: its slot was scaled away"), Is.True);
    }

    [TestCase(0, false, "scale refused: 0 from 2 gives 0; allowed: 1 to 1024 workers")]
    [TestCase(-2, true, "scale refused: -2 from 2 gives 0; allowed: 1 to 1024 workers")]
    [TestCase(2, false, "already 2 worker(s)")]
    public async Task Scale_refuses_counts_out_of_range_and_does_nothing_for_the_same_count(int value, bool relative, string message)
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 2));
        await harness.AllReadyAsync();

        var result = await (await harness.RequestAsync(reply => new ScaleRequested(new ScaleTarget(value, relative), reply))).WaitAsync(Waits.Patience);

        Assert.That(result.Message, Is.EqualTo(message));
        Assert.That(harness.Launcher.Launched, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task SIGHUP_with_a_broken_config_changes_nothing_and_logs_the_error()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 2));
        await harness.AllReadyAsync();
        harness.ConfigSource.Next = ConfigLoadResult.Invalid([new ConfigError("$.listen", "not a URL")]);

        harness.Loop.Post(new SignalReceived(PosixSignals.SIGHUP));
        var status = await harness.StatusAsync();

        Assert.That(status!.Generation, Is.EqualTo(1));
        Assert.That(status.Workers.Select(w => w.State), Is.All.EqualTo(WorkerState.Ready));
        Assert.That(harness.Log.Entries.Any(e => e.Level == LogLevel.Error && e.Message == "config reload (SIGHUP) rejected; generation 1 stays in force: $.listen: not a URL"), Is.True, harness.Log.Text);
    }

    [Test]
    public async Task SIGHUP_with_a_new_worker_count_scales_without_restarting_anyone()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 2));
        await harness.AllReadyAsync();
        harness.ConfigSource.Next = ConfigLoadResult.Valid(harness.Config.WithApp(a => a with { Workers = new WorkerCount(3, IsAuto: false) }));

        harness.Loop.Post(new SignalReceived(PosixSignals.SIGHUP));
        await harness.AllReadyAsync();

        Assert.That(harness.Launcher.Launched.Select(p => p.WorkerId), Is.EqualTo(new[] { 0, 1, 2 }));
        Assert.That(harness.FrontEnd.Current, Has.Count.EqualTo(3));
        Assert.That(harness.Log.Contains("configuration generation 2 applied (SIGHUP): workers 2 -> 3"), Is.True, harness.Log.Text);
    }

    [Test]
    public async Task SIGHUP_with_a_new_worker_command_rolls_a_reload()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 1));
        await harness.AllReadyAsync();
        harness.ConfigSource.Next = ConfigLoadResult.Valid(harness.Config.WithApp(a => a with { Worker = a.Worker with { Env = new Dictionary<string, string> { ["RELEASE"] = "2" } } }));

        harness.Loop.Post(new SignalReceived(PosixSignals.SIGHUP));
        await harness.SnapshotAsync();

        Assert.That(harness.Launcher.Launched, Has.Count.EqualTo(2));
        Assert.That(harness.Launcher.Configs[^1].Env["RELEASE"], Is.EqualTo("2"));
        Assert.That(harness.Log.Contains("rolling reload (SIGHUP): replacing 1 worker(s)"), Is.True, harness.Log.Text);
    }

    [Test]
    public async Task SIGHUP_applies_settings_live_and_says_which_need_a_restart()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 1));
        await harness.AllReadyAsync();
        var moved = harness.Config with
        {
            Listeners = [new ListenerConfig(new ListenAddress("http://127.0.0.1:9999", ListenHost.Address, System.Net.IPAddress.Loopback, 9999))],
            Log = harness.Config.Log with { Level = LogLevelSetting.Debug },
        };
        harness.ConfigSource.Next = ConfigLoadResult.Valid(moved);

        harness.Loop.Post(new SignalReceived(PosixSignals.SIGHUP));
        var status = await harness.StatusAsync();

        Assert.That(harness.Log.Contains("config change not applied: listen http://127.0.0.1:8080 -> http://127.0.0.1:9999 takes effect only when the supervisor is restarted or upgraded (supervisor upgrade: no downtime)"), Is.True, harness.Log.Text);
        Assert.That(status!.Config.ListenDescription, Is.EqualTo("http://127.0.0.1:8080"));
        Assert.That(harness.LogLevels.Applied, Is.EqualTo(new[] { LogLevelSetting.Debug }));
        Assert.That(harness.Launcher.Launched, Has.Count.EqualTo(1), "nothing in the change needed a worker restart");
    }

    [Test]
    public async Task SIGTTIN_adds_a_worker_and_SIGTTOU_removes_one_but_never_the_last()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 1));
        await harness.AllReadyAsync();

        harness.Loop.Post(new SignalReceived(PosixSignals.SIGTTIN));
        await harness.AllReadyAsync();
        Assert.That((await harness.StatusAsync())!.WorkersWanted, Is.EqualTo(2));

        harness.Loop.Post(new SignalReceived(PosixSignals.SIGTTOU));
        harness.Loop.Post(new SignalReceived(PosixSignals.SIGTTOU));
        var status = await harness.StatusAsync();
        Assert.That(status!.WorkersWanted, Is.EqualTo(1));
        Assert.That(harness.Log.Contains("SIGTTOU ignored: the worker count would be 0"), Is.True, harness.Log.Text);
    }

    [Test]
    public async Task A_stop_during_a_reload_answers_the_reload_and_stops()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 1));
        await harness.AllReadyAsync();
        var answer = await harness.RequestAsync(reply => new ReloadRequested(reply));

        harness.Loop.Post(new StopRequested("supervisor stop"));
        var result = await answer.WaitAsync(Waits.Patience);
        // The answer is given while the stop is handled, before the front end is asked to stop: wait for the loop.
        await harness.SnapshotAsync();

        Assert.That(result.Message, Is.EqualTo("reload interrupted: the supervisor is stopping"));
        Assert.That(harness.FrontEnd.StopRequestedWith, Is.Not.Null);
        Assert.That(harness.Log.Contains("received supervisor stop: stopping"), Is.True, harness.Log.Text);
    }
}
