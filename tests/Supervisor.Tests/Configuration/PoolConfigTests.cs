using Cluster.Shared.Configuration;
using Cluster.Shared.Configuration.Layout;

namespace Cluster.Supervisor.Tests.Configuration;

/// <summary>"workers" as a range, worker.maxConcurrency, "queue" and "maxWorkers": read, defaulted, checked, shown, compared.</summary>
public sealed class PoolConfigTests : ConfigTestBase
{
    private const string Server = "\"worker\": { \"command\": \"server\" }";

    [Test]
    public void A_range_is_read_with_its_defaults_and_starts_with_min_plus_spare()
    {
        var app = Fixture.LoadValid($$"""{ "workers": { "min": 2, "max": 8 }, {{Server}} }""").Apps.Single();

        var range = app.Workers.Range!;
        Assert.That((range.Min, range.Max.Count, range.Spare, range.IdleTimeout), Is.EqualTo((2, 8, 1, TimeSpan.FromSeconds(30))));
        Assert.That((app.Workers.Count, app.Workers.Least, app.Workers.Most, app.Workers.IsRanged), Is.EqualTo((3, 2, 8, true)));
    }

    [Test]
    public void An_empty_range_is_one_to_one_per_cpu_with_one_spare()
    {
        var workers = Fixture.LoadValid($$"""{ "workers": {}, {{Server}} }""").Apps.Single().Workers;

        Assert.That((workers.Range!.Min, workers.Range.Max.Count, workers.Range.Max.IsAuto, workers.Range.Spare, workers.Count), Is.EqualTo((1, 6, true, 1, 2)), "the fixture's machine has 6 CPUs");
        Assert.That(workers.ToString(), Is.EqualTo("1 to 6 (max auto; spare 1, idle 30s)"), "as check and the start line say it");
    }

    [Test]
    public void The_initial_count_never_exceeds_the_maximum()
    {
        var workers = Fixture.LoadValid($$"""{ "workers": { "min": 3, "max": 4, "spare": 4 }, {{Server}} }""").Apps.Single().Workers;

        Assert.That(workers.Count, Is.EqualTo(4));
    }

    [Test]
    public void On_demand_is_min_0_and_starts_with_no_worker_whatever_its_spares()
    {
        var workers = Fixture.LoadValid($$"""{ "workers": { "min": 0, "max": 4, "spare": 2, "idleTimeout": "10s" }, {{Server}} }""").Apps.Single().Workers;

        Assert.That((workers.Count, workers.Least, workers.Range!.OnDemand, workers.Range.IdleTimeout), Is.EqualTo((0, 0, true, TimeSpan.FromSeconds(10))));
    }

    [Test]
    public void A_fixed_count_stays_a_fixed_count()
    {
        var workers = Fixture.LoadValid($$"""{ "workers": 3, {{Server}} }""").Apps.Single().Workers;

        Assert.That((workers.IsRanged, workers.Least, workers.Most), Is.EqualTo((false, 3, 3)));
    }

    [Test]
    public void Each_app_has_its_own_range_queue_and_concurrency()
    {
        var config = Fixture.LoadValid($$"""
            {
              "maxWorkers": 5,
              "apps": {
                "shop": { "hosts": ["shop.example.com"], "workers": { "min": 1, "max": 4 }, "worker": { "command": "server", "maxConcurrency": 1 }, "queue": { "maxLength": 5, "timeout": "1s" } },
                "site": { "workers": 2, {{Server}} }
              }
            }
            """);

        var (shop, site) = (config.App("shop")!, config.App("site")!);
        Assert.That((config.MaxWorkers, shop.Worker.MaxConcurrency, shop.Queue.MaxLength, shop.Queue.Timeout), Is.EqualTo(((int?)5, (int?)1, 5, TimeSpan.FromSeconds(1))));
        Assert.That((site.Worker.MaxConcurrency, site.Queue.MaxLength, site.Queue.Timeout), Is.EqualTo(((int?)null, 100, TimeSpan.FromSeconds(30))), "defaults: no cap, 100 waiting for 30s at most");
    }

    [TestCase("""{ "min": 5, "max": 4 }""", "$.workers.min: workers.min (5) must not be above workers.max (4)")]
    [TestCase("""{ "min": 1, "max": 2, "spare": 3 }""", "$.workers.spare: workers.spare (3) must not be above workers.max (2): the pool could never keep that many idle")]
    [TestCase("""{ "min": 7 }""", "$.workers.min: workers.min (7) must not be above workers.max (\"auto\", 6 on this machine)")]
    [TestCase("""{ "min": -1 }""", "$.workers.min: expected workers kept however idle the app is: an integer from 0 to 1024, got a number (-1)")]
    [TestCase("""{ "max": 0 }""", "$.workers.max: expected \"auto\" or an integer from 1 to 1024, got a number (0)")]
    [TestCase("""{ "idleTimeout": "500ms" }""", "$.workers.idleTimeout: expected a duration from 1s to 24h, got \"500ms\"")]
    [TestCase("""{ "minimum": 1 }""", "$.workers.minimum: unknown key; allowed keys here: min, max, spare, idleTimeout")]
    [TestCase("""[1, 4]""", "$.workers: expected \"auto\", an integer from 1 to 1024, or a range such as {\"min\": 1, \"max\": \"auto\", \"spare\": 1, \"idleTimeout\": \"30s\"}, got an array")]
    public void A_wrong_range_is_refused_naming_its_json_path(string range, string error)
    {
        Assert.That(Fixture.OnlyError($$"""{ "workers": {{range}}, {{Server}} }"""), Is.EqualTo(error));
    }

    [Test]
    public void An_apps_range_is_named_by_its_path_in_apps()
    {
        Assert.That(
            Fixture.OnlyError($$"""{ "apps": { "shop": { "workers": { "min": 3, "max": 2 }, {{Server}} } } }"""),
            Is.EqualTo("$.apps.shop.workers.min: apps.shop.workers.min (3) must not be above apps.shop.workers.max (2)"));
    }

    [Test]
    public void The_machine_wide_cap_must_hold_what_every_app_keeps()
    {
        Assert.That(
            Fixture.OnlyError($$"""{ "maxWorkers": 3, "apps": { "shop": { "hosts": ["shop.example.com"], "workers": { "min": 2, "max": 4 }, {{Server}} }, "site": { "workers": 2, {{Server}} } } }"""),
            Is.EqualTo("$.maxWorkers: maxWorkers (3) is below the workers the apps keep however idle they are (shop 2 + site 2 = 4; a fixed count counts whole, a range its \"min\"): lower those, or raise maxWorkers"));
    }

    [TestCase("\"worker\": { \"command\": \"server\", \"maxConcurrency\": 1 }", "$.worker.maxConcurrency")]
    [TestCase("\"queue\": { \"maxLength\": 5 }, \"worker\": { \"command\": \"server\" }", "$.queue.maxLength")]
    public void A_shared_socket_refuses_the_queue_and_says_why(string keys, string path)
    {
        var error = Fixture.OnlyError($$"""{ "frontEnd": "sharedSocket", {{keys}} }""");

        Assert.That(error, Does.StartWith($"{path}: cannot be combined with \"frontEnd\": \"sharedSocket\" ($.frontEnd): the workers accept connections themselves, so no front end sees the requests to hold back"));
    }

    [Test]
    public void A_shared_socket_takes_a_range_the_accept_queue_is_its_signal()
    {
        var app = Fixture.LoadValid("""{ "frontEnd": "sharedSocket", "workers": { "min": 1, "max": 3 }, "worker": { "command": "server", "args": ["--fd", "{fd}"] } }""").Apps.Single();

        Assert.That(app.Workers.Most, Is.EqualTo(3));
    }

    [Test]
    public void A_range_is_shown_as_written_and_its_change_is_live()
    {
        var before = Fixture.LoadValid($$"""{ "workers": 2, {{Server}} }""");
        var after = Fixture.LoadValid($$"""{ "workers": { "min": 1, "max": 4, "spare": 2, "idleTimeout": "1m" }, "maxWorkers": 10, {{Server}} }""");

        Assert.That(ConfigDocuments.Effective(after)["workers"]!.ToJsonString(), Is.EqualTo("""{"min":1,"max":4,"spare":2,"idleTimeout":"1m"}"""));
        var changes = ConfigChanges.Between(before, after).All;
        Assert.That(changes.Select(c => (c.Path, c.Applies)), Is.EquivalentTo(new[] { ("workers", Applies.Live), ("maxWorkers", Applies.Live) }));
        Assert.That(changes.Single(c => c.Path == "workers").Text, Is.EqualTo("""workers 2 -> {"min":1,"max":4,"spare":2,"idleTimeout":"1m"}"""));
    }

    [Test]
    public void A_range_can_be_given_by_its_environment_variable()
    {
        var variables = new Dictionary<string, string> { ["SUPERVISOR_WORKERS"] = """{ "min": 0, "max": 3 }""", ["SUPERVISOR_MAXWORKERS"] = "9" };
        var config = ConfigLoader.Parse($$"""{ {{Server}} }""", Fixture.ConfigPath, ConfigOverrides.None, Fixture.Environment with { Variables = variables }).Config!;

        Assert.That((config.Apps.Single().Workers.Least, config.Apps.Single().Workers.Most, config.MaxWorkers), Is.EqualTo((0, 3, (int?)9)));
    }

    [Test]
    public void The_docs_key_table_has_a_row_for_each_key_of_the_range()
    {
        var table = ConfigDocuments.KeyTable();

        foreach (var key in new[] { "workers.min", "workers.max", "workers.spare", "workers.idleTimeout", "worker.maxConcurrency", "queue.maxLength", "queue.timeout", "maxWorkers" })
        {
            Assert.That(table, Does.Contain($"| `{key}` |"), key);
        }
    }

    [Test]
    public void A_range_and_a_queue_run_without_a_warning()
    {
        var ranged = Fixture.Load($$"""{ "workers": { "min": 2, "max": 4 }, "worker": { "command": "server", "maxConcurrency": 1 } }""");
        var queued = Fixture.Load($$"""{ "workers": 2, "worker": { "command": "server", "maxConcurrency": 1 }, "queue": { "maxLength": 5, "timeout": "1s" } }""");
        var fixedCount = Fixture.Load($$"""{ "workers": 2, {{Server}} }""");

        Assert.That(ranged.Warnings, Is.Empty, "the pool sizer runs a range: nothing to warn about");
        Assert.That(queued.Warnings, Is.Empty, "the queue is applied: nothing to warn about");
        Assert.That(fixedCount.Warnings, Is.Empty);
    }
}
