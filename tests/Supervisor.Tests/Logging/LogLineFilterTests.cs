using Cluster.Supervisor.Logging;

namespace Cluster.Supervisor.Tests.Logging;

public sealed class LogLineFilterTests
{
    private static RingLine Line(string? app, int? worker, bool output = false) => new(worker, output, [], app);

    [Test]
    public void An_app_filter_keeps_that_apps_lines_only_and_a_slot_is_one_of_that_app()
    {
        var shop = new LogLineFilter(App: "shop");
        var shopOne = new LogLineFilter(WorkerId: 1, App: "shop");

        Assert.That(shop.Matches(Line("shop", 0)), Is.True);
        Assert.That(shop.Matches(Line("shop", null)), Is.True, "the app's own lines (its reloads, scaling)");
        Assert.That(shop.Matches(Line("api", 0)), Is.False);
        Assert.That(shop.Matches(Line(null, null)), Is.False, "the supervisor's own lines");
        Assert.That(shopOne.Matches(Line("shop", 1, output: true)), Is.True);
        Assert.That(shopOne.Matches(Line("api", 1)), Is.False, "worker 1 of another app");
        Assert.That(new LogLineFilter().Matches(Line("api", 3)), Is.True, "no filter: every line");
    }
}
