using Cluster.Supervisor.Cli;
using Cluster.Supervisor.Cli.Top;
using Cluster.Supervisor.Control;
using static Cluster.Supervisor.Tests.Metrics.StatusReports;

namespace Cluster.Supervisor.Tests.Cli;

/// <summary>The requests waiting in each app's queue, as `status` and `top` print them.</summary>
public sealed class QueuedTextTests
{
    [Test]
    public void Status_puts_a_single_apps_queue_on_the_config_line_and_each_apps_on_its_own_line()
    {
        var single = StatusPrinter.Format(With(Worker(0)) with { Apps = [App("default", 7)] });
        var several = StatusPrinter.Format(With(Worker(0)) with { Apps = [App("shop", 12), App("files", null)] });

        Assert.That(single.Split('\n')[1], Does.EndWith("1 worker(s) wanted, 7 queued"));
        Assert.That(several, Does.Contain("app shop: any host; 1/1 ready, 0 idle, 0 in flight, 12 queued, 0 restart(s)"));
        Assert.That(several, Does.Contain("app files: any host; 1/1 ready, 0 idle, 0 in flight, 0 restart(s)"), "a shared socket holds no request back: no queue to show");
    }

    [Test]
    public void Top_shows_each_apps_queue_on_its_line_after_its_workers()
    {
        Assert.That(TopFormat.Apps(With(Worker(0)) with { Apps = [App("default", 3)] }), Is.EqualTo(new[] { "app default: 1/1 ready, 0 idle, 0 in flight, 3 queued" }));
        Assert.That(
            TopFormat.Apps(With(Worker(0)) with { Apps = [App("shop", 12), App("blog", 0), App("files", null)] }),
            Is.EqualTo(new[] { "app shop: 1/1 ready, 0 idle, 0 in flight, 12 queued", "app blog: 1/1 ready, 0 idle, 0 in flight, 0 queued", "app files: 1/1 ready, 0 idle, 0 in flight" }));
    }

    private static AppStatusReport App(string name, int? queued) =>
        new(name, "any host", [], [], queued is null ? "sharedSocket" : "proxy", "serving", 1, 1, 1, 0, null) { Queued = queued };
}
