using Cluster.Shared.Configuration;
using Cluster.Supervisor.Processes;
using Cluster.Supervisor.Tests.Fakes;
using Cluster.Supervisor.Workers;
using Cluster.Supervisor.Workers.Events;
using Cluster.Supervisor.Workers.Operations;
using Cluster.Supervisor.Workers.Routing;

namespace Cluster.Supervisor.Tests.Workers;

/// <summary>Several apps in one loop: each its own worker group, and nothing done to one touches another's workers.</summary>
public sealed class ControlLoopAppsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static SupervisorConfig TwoApps(int a = 2, int b = 2) => TestConfigs.Create() with
    {
        Apps = [TestConfigs.App(workers: a, name: "a", hosts: "a.example.com"), TestConfigs.App(workers: b, name: "b", hosts: "b.example.com")],
    };

    private static List<FakeWorkerProcess> Of(LoopHarness harness, string app) => [.. harness.Launcher.Launched.Where(p => p.App == app)];

    [Test]
    public async Task Each_app_has_its_own_slots_from_zero_its_name_in_every_launch_and_its_own_route_with_its_ready_workers()
    {
        await using var harness = new LoopHarness(TwoApps(a: 2, b: 3));
        await harness.AllReadyAsync();

        Assert.That(harness.Launcher.Launches.Select(l => (l.App, l.WorkerId)), Is.EquivalentTo(new[] { ("a", 0), ("a", 1), ("b", 0), ("b", 1), ("b", 2) }));
        var routing = harness.FrontEnd.Routing;
        Assert.That(routing.Apps.Select(r => (r.App, string.Join(",", r.Hosts))), Is.EqualTo(new[] { ("a", "a.example.com"), ("b", "b.example.com") }));
        Assert.That(routing.Apps[0].Ready.Select(e => e.Pid), Is.EquivalentTo(Of(harness, "a").Select(p => p.Pid)));
        Assert.That(routing.Apps[1].Ready.Select(e => (e.App, e.Pid)), Is.EquivalentTo(Of(harness, "b").Select(p => ("b", p.Pid))));
        var status = (await harness.StatusAsync())!;
        Assert.That(status.Apps.Select(s => (s.Name, s.WorkersWanted)), Is.EqualTo(new[] { ("a", 2), ("b", 3) }));
    }

    [Test]
    public async Task A_crash_loop_of_one_app_leaves_the_other_apps_workers_alone_and_in_their_route()
    {
        await using var harness = new LoopHarness(TwoApps());
        await harness.AllReadyAsync();
        var a = Of(harness, "a");

        for (var crash = 0; crash < 6; crash++)
        {
            foreach (var process in harness.Launcher.Launched.Where(p => p.App == "b" && !p.Exited.IsCompleted).ToList())
            {
                process.Exit(1);
            }

            await harness.AdvanceAsync(TimeSpan.FromSeconds(31));
        }

        var status = (await harness.StatusAsync())!;
        Assert.That(status.Apps.Single(s => s.Name == "b").Workers.Select(w => w.State), Has.Some.EqualTo(WorkerState.CrashLoop).Or.Some.EqualTo(WorkerState.Starting));
        Assert.That(harness.Log.Contains("crash loop"), Is.True, harness.Log.Text);
        Assert.That(a.SelectMany(p => p.Signals), Is.Empty, "app a was not signalled");
        Assert.That(status.Apps.Single(s => s.Name == "a").Workers.Select(w => (w.Pid, w.State)), Is.EquivalentTo(a.Select(p => ((int?)p.Pid, WorkerState.Ready))));
        Assert.That(harness.FrontEnd.Routing.Apps.Single(r => r.App == "a").Ready.Select(e => e.Pid), Is.EquivalentTo(a.Select(p => p.Pid)));
    }

    [Test]
    public async Task A_reload_of_one_app_replaces_only_its_workers_and_bumps_only_its_generation()
    {
        await using var harness = new LoopHarness(TwoApps());
        await harness.AllReadyAsync();
        var a = Of(harness, "a");
        var b = Of(harness, "b");
        harness.ConfigSource.Next = ConfigLoadResult.Valid(harness.Config with
        {
            Apps = [harness.Config.Apps[0], harness.Config.Apps[1] with { Worker = harness.Config.Apps[1].Worker with { Args = ["--v2"] } }],
        });

        var answer = await harness.RequestAsync(reply => new ReloadRequested(reply, "b"));
        for (var slot = 0; slot < 2; slot++)
        {
            harness.Readiness.MarkReady(harness.Launcher.Launched[^1].Port);
            await harness.SnapshotAsync();
            harness.FrontEnd.MakeIdle(new WorkerEndpoint("b", slot, b[slot].Pid, b[slot].Port));
            await harness.SnapshotAsync();
        }

        var result = await answer.WaitAsync(Patience);
        Assert.That(result.Ok, Is.True, result.Message);
        Assert.That(harness.Launcher.Launches.Skip(4).Select(l => (l.App, l.Config.Args.Count > 0 ? l.Config.Args[0] : null)), Is.EqualTo(new[] { ("b", "--v2"), ("b", "--v2") }));
        Assert.That(a.SelectMany(p => p.Signals), Is.Empty);
        Assert.That(b.Select(p => p.Signals.Count > 0 ? p.Signals[0] : 0), Is.All.EqualTo(PosixSignals.SIGTERM));
        var status = (await harness.StatusAsync())!;
        Assert.That(status.Apps.Select(s => (s.Name, s.Generation)), Is.EqualTo(new[] { ("a", 1), ("b", 2) }));
    }

    [Test]
    public async Task Scaling_one_app_starts_only_its_slots_and_scale_without_a_name_is_refused_listing_the_apps()
    {
        await using var harness = new LoopHarness(TwoApps());
        await harness.AllReadyAsync();

        var unnamed = await (await harness.RequestAsync(reply => new ScaleRequested(new ScaleTarget(3, Relative: false), reply))).WaitAsync(Patience);
        var unknown = await (await harness.RequestAsync(reply => new ScaleRequested(new ScaleTarget(3, Relative: false), reply, "c"))).WaitAsync(Patience);
        var scale = await harness.RequestAsync(reply => new ScaleRequested(new ScaleTarget(3, Relative: false), reply, "b"));
        await harness.AllReadyAsync();

        Assert.That((unnamed.Ok, unnamed.UnknownApp, unnamed.Message), Is.EqualTo((false, true, "scale needs the name of an app: the apps are a, b")));
        Assert.That((unknown.Ok, unknown.UnknownApp, unknown.Message), Is.EqualTo((false, true, "scale: there is no app c; the apps are a, b")));
        Assert.That((await scale.WaitAsync(Patience)).Ok, Is.True);
        Assert.That(harness.Launcher.Launches.Skip(4).Select(l => (l.App, l.WorkerId)), Is.EqualTo(new[] { ("b", 2) }));
    }

    [Test]
    public async Task A_config_that_adds_an_app_starts_it_and_one_that_removes_it_drains_and_stops_its_workers_only()
    {
        await using var harness = new LoopHarness(TwoApps());
        await harness.AllReadyAsync();
        var before = harness.Launcher.Launched.ToList();
        var withC = harness.Config with { Apps = [.. harness.Config.Apps, TestConfigs.App(workers: 1, name: "c", hosts: "c.example.com")] };

        harness.ConfigSource.Next = ConfigLoadResult.Valid(withC);
        harness.Loop.Post(new SignalReceived(PosixSignals.SIGHUP));
        await harness.AllReadyAsync();

        var c = Of(harness, "c").Single();
        Assert.That(harness.Launcher.Launched, Has.Count.EqualTo(5), "only c's worker started");
        Assert.That(harness.FrontEnd.Routing.Apps.Select(r => r.App), Is.EqualTo(new[] { "a", "b", "c" }));

        harness.ConfigSource.Next = ConfigLoadResult.Valid(harness.Config);
        harness.Loop.Post(new SignalReceived(PosixSignals.SIGHUP));
        await harness.SnapshotAsync();
        Assert.That(harness.FrontEnd.Routing.Apps.Select(r => r.App), Is.EqualTo(new[] { "a", "b" }), "out of the routes at once");
        harness.FrontEnd.MakeIdle(new WorkerEndpoint("c", 0, c.Pid, c.Port));
        await harness.SnapshotAsync();
        Assert.That(c.Signals, Is.EqualTo(new[] { PosixSignals.SIGTERM }));
        c.Exit(0);
        await harness.AdvanceAsync(TimeSpan.FromSeconds(5));

        var status = (await harness.StatusAsync())!;
        Assert.That(status.Apps.Select(s => s.Name), Is.EqualTo(new[] { "a", "b" }));
        Assert.That(harness.Launcher.Launched, Has.Count.EqualTo(5), "c not restarted");
        Assert.That(before.SelectMany(p => p.Signals), Is.Empty, "a and b untouched");
        Assert.That(harness.Log.Contains("app c removed: its last worker has exited"), Is.True, harness.Log.Text);
    }

    [Test]
    public async Task A_changed_route_is_published_without_restarting_any_worker()
    {
        await using var harness = new LoopHarness(TwoApps());
        await harness.AllReadyAsync();
        harness.ConfigSource.Next = ConfigLoadResult.Valid(harness.Config with
        {
            Apps = [harness.Config.Apps[0] with { Hosts = ["a.example.org"], Paths = ["/api"] }, harness.Config.Apps[1]],
        });

        harness.Loop.Post(new SignalReceived(PosixSignals.SIGHUP));
        await harness.SnapshotAsync();

        Assert.That(harness.Launcher.Launched, Has.Count.EqualTo(4));
        Assert.That(harness.Launcher.Launched.SelectMany(p => p.Signals), Is.Empty);
        var a = harness.FrontEnd.Routing.Apps[0];
        Assert.That((a.App, string.Join(",", a.Hosts), string.Join(",", a.Paths), a.Ready.Count), Is.EqualTo(("a", "a.example.org", "/api", 2)));
    }

    [Test]
    public async Task Each_app_is_published_with_its_rate_limit_budget_and_a_reload_changes_it_without_restarting_a_worker()
    {
        var machine = new RateLimitConfig { Requests = 100, Window = TimeSpan.FromMinutes(1) };
        var own = new RateLimitConfig { Requests = 5, Window = TimeSpan.FromHours(1) };
        var config = TwoApps() with { RateLimit = machine };
        config = config with { Apps = [config.Apps[0] with { RateLimit = own }, config.Apps[1]] };
        await using var harness = new LoopHarness(config);
        await harness.AllReadyAsync();

        Assert.That(harness.FrontEnd.Routing.Apps.Select(r => r.RateLimit), Is.EqualTo(new[] { new RateLimitBudget("a", own), new RateLimitBudget(null, machine) }));

        var tighter = machine with { Requests = 10 };
        harness.ConfigSource.Next = ConfigLoadResult.Valid(harness.Config with { RateLimit = tighter, Apps = [harness.Config.Apps[0] with { RateLimit = null }, harness.Config.Apps[1]] });
        harness.Loop.Post(new SignalReceived(PosixSignals.SIGHUP));
        await harness.SnapshotAsync();

        Assert.That(harness.FrontEnd.Routing.Apps.Select(r => r.RateLimit), Is.EqualTo(new[] { new RateLimitBudget(null, tighter), new RateLimitBudget(null, tighter) }), "both on the machine's budget now");
        Assert.That(harness.Launcher.Launched, Has.Count.EqualTo(4));
        Assert.That(harness.Launcher.Launched.SelectMany(p => p.Signals), Is.Empty);
    }

    [Test]
    public async Task A_reload_that_adds_an_app_while_the_running_worker_files_have_no_app_is_refused_and_changes_nothing()
    {
        var config = TestConfigs.Create() with { Apps = [TestConfigs.App(workers: 1, name: "a", hosts: "a.example.com")], Log = new LogConfig { WorkerFiles = "/var/log/cluster/worker-{id}.log" } };
        await using var harness = new LoopHarness(config);
        await harness.AllReadyAsync();
        // A valid file: its new log.workerFiles names the app, but only a restart applies it.
        harness.ConfigSource.Next = ConfigLoadResult.Valid(harness.Config with
        {
            Log = harness.Config.Log with { WorkerFiles = "/var/log/cluster/{app}-worker-{id}.log" },
            Apps = [harness.Config.Apps[0], TestConfigs.App(workers: 1, name: "b", hosts: "b.example.com")],
        });

        var result = await (await harness.RequestAsync(reply => new ReloadRequested(reply))).WaitAsync(Patience);

        Assert.That((result.Ok, result.Message), Is.EqualTo((false, "reload refused: log.workerFiles takes effect only at a restart, and the running one (worker-{id}.log) has no {app} to tell 2 apps' workers apart; restart the supervisor (or supervisor upgrade) to add apps")));
        Assert.That(harness.Launcher.Launched, Has.Count.EqualTo(1), "app b not started");
        Assert.That(harness.FrontEnd.Routing.Apps.Select(r => r.App), Is.EqualTo(new[] { "a" }));
        Assert.That((await harness.StatusAsync())!.Generation, Is.EqualTo(1));
    }

    [Test]
    public async Task An_app_on_its_own_listener_is_published_to_its_own_front_end_only()
    {
        var config = TwoApps();
        var own = new FakeFrontEnd();
        await using var harness = new LoopHarness(config, arrangeFrontEnds: f => f.Own["b"] = own);
        await harness.AllReadyAsync();

        Assert.That(harness.FrontEnd.Routing.Apps.Select(r => r.App), Is.EqualTo(new[] { "a" }));
        Assert.That(own.Routing.Apps.Select(r => r.App), Is.EqualTo(new[] { "b" }));
        Assert.That(own.Current.Select(e => e.App), Is.All.EqualTo("b"));
    }
}
