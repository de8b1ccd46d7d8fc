using Cluster.Shared.Configuration;
using Cluster.Supervisor.FrontEnd.Routing;
using Cluster.Supervisor.Workers.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Cluster.Supervisor.Tests.FrontEnd;

/// <summary>
/// The apps' routes through ASP.NET Core's endpoint routing, as the proxy runs it (its routing services, the table,
/// UseRouting, the endpoint's delegate or a 404), with requests made in memory: which app a host and path reach.
/// </summary>
public sealed class AppRoutingTests
{
    private const string NoApp = "404";

    private static AppRoute App(string name, string[]? hosts = null, string[]? paths = null, bool strip = false) =>
        new(name, hosts ?? [], paths ?? [], strip, WorkerProtocol.Http1, LoadBalancingPolicy.RoundRobin, NoQueue, RateLimit: null, []);

    private static readonly Cluster.Supervisor.FrontEnd.Queueing.QueueSettings NoQueue = new(MaxConcurrency: null, MaxLength: 100, Timeout: TimeSpan.FromSeconds(30), WaitForFirstWorker: false, FirstWorkerTimeout: TimeSpan.FromSeconds(60));

    private static readonly AppRoute[] Nginxish =
    [
        App("exact", hosts: ["shop.example.com"]),
        App("exact-api", hosts: ["shop.example.com"], paths: ["/api"]),
        App("exact-api-v2", hosts: ["shop.example.com"], paths: ["/api/v2"]),
        App("sub-wildcard", hosts: ["*.shop.example.com"]),
        App("wildcard", hosts: ["*.example.com"]),
        App("any-host-api", paths: ["/api"]),
        App("catch-all"),
    ];

    /// <summary>The app (or 404) and the path it was forwarded with, for a request to <paramref name="host"/> <paramref name="path"/>.</summary>
    private static Task<(string App, string Path)> RouteAsync(AppRouteTable table, string host, string path) => Router(table)(host, path);

    /// <summary>One pipeline over <paramref name="table"/>, kept across requests as the proxy keeps its own.</summary>
    private static Func<string, string, Task<(string App, string Path)>> Router(AppRouteTable table)
    {
        var services = new ServiceCollection().AddLogging().AddSingleton(new System.Diagnostics.DiagnosticListener("test")).AddRoutingCore().AddSingleton<Microsoft.AspNetCore.Routing.MatcherPolicy, WildcardHostCheck>().BuildServiceProvider();
        var app = new ApplicationBuilder(services);
        app.UseRouting();
        app.UseEndpoints(endpoints => endpoints.DataSources.Add(table));
        app.Run(context =>
        {
            context.Items["app"] = NoApp;
            return Task.CompletedTask;
        });
        var pipeline = app.Build();
        return async (host, path) =>
        {
            var context = new DefaultHttpContext { RequestServices = services };
            context.Request.Method = "GET";
            context.Request.Host = new HostString(host);
            context.Request.Path = path;
            await pipeline(context);
            return ((string)context.Items["app"]!, context.Request.Path.Value!);
        };
    }

    private static AppRouteTable Table(params AppRoute[] apps)
    {
        var table = new AppRouteTable();
        table.Replace(apps, (app, strip) => context =>
        {
            context.Items["app"] = app.App;
            if (strip is not null && context.Request.Path.StartsWithSegments(strip, out var rest))
            {
                context.Request.Path = rest.HasValue ? rest : "/";
            }

            return Task.CompletedTask;
        });
        return table;
    }

    [TestCase("shop.example.com", "/", "exact")]
    [TestCase("shop.example.com", "/cart", "exact")]
    [TestCase("shop.example.com", "/api", "exact-api")]
    [TestCase("shop.example.com", "/api/orders", "exact-api")]
    [TestCase("shop.example.com", "/apix", "exact", TestName = "A path prefix ends on a segment boundary: /apix is not under /api")]
    [TestCase("shop.example.com", "/api/v2/orders", "exact-api-v2", TestName = "The longest path prefix wins")]
    [TestCase("shop.example.com", "/api/v2x", "exact-api")]
    [TestCase("SHOP.Example.COM", "/", "exact", TestName = "Host names are matched without regard to case")]
    [TestCase("shop.example.com:8443", "/api", "exact-api", TestName = "The port of the Host header is ignored")]
    [TestCase("www.shop.example.com", "/", "sub-wildcard", TestName = "The longest wildcard wins over a shorter one")]
    [TestCase("a.b.shop.example.com", "/api", "sub-wildcard", TestName = "A host rule wins over a longer path of an app without hosts")]
    [TestCase("blog.example.com", "/", "wildcard")]
    [TestCase("example.com", "/", "catch-all", TestName = "A wildcard does not match the bare domain")]
    [TestCase("other.org", "/api/x", "any-host-api")]
    [TestCase("other.org", "/apix", "catch-all")]
    [TestCase("other.org", "/", "catch-all")]
    [TestCase("", "/", "catch-all", TestName = "A request without a Host header reaches the catch-all")]
    public async Task Hosts_win_exact_before_wildcard_before_none_then_the_longest_path_prefix(string host, string path, string expected)
    {
        var (app, _) = await RouteAsync(Table(Nginxish), host, path);

        Assert.That(app, Is.EqualTo(expected));
    }

    [TestCase("other.org", "/")]
    [TestCase("shop.example.com", "/apix")]
    [TestCase("", "/api")]
    public async Task Without_a_catch_all_a_request_no_app_matches_reaches_no_app(string host, string path)
    {
        var table = Table(App("shop", hosts: ["shop.example.com"], paths: ["/api"]), App("blog", hosts: ["blog.example.com"]));

        var (app, _) = await RouteAsync(table, host, path);

        Assert.That(app, Is.EqualTo(NoApp));
    }

    [TestCase("/api", "/")]
    [TestCase("/api/", "/")]
    [TestCase("/api/orders/7", "/orders/7")]
    public async Task With_stripPath_the_matched_prefix_is_taken_off_the_forwarded_path(string path, string forwarded)
    {
        var table = Table(App("api", paths: ["/api"], strip: true), App("site"));

        Assert.That(await RouteAsync(table, "x", path), Is.EqualTo(("api", forwarded)));
        Assert.That(await RouteAsync(table, "x", "/apix"), Is.EqualTo(("site", "/apix")), "not under the prefix: forwarded unchanged");
    }

    [Test]
    public async Task Replacing_the_routes_takes_effect_for_the_next_request()
    {
        var table = Table(App("old", hosts: ["a.example.com"]));
        var route = Router(table);
        Assert.That((await route("a.example.com", "/")).App, Is.EqualTo("old"));
        var token = table.GetChangeToken();

        table.Replace([App("new", hosts: ["a.example.com"])], (app, _) => context =>
        {
            context.Items["app"] = app.App;
            return Task.CompletedTask;
        });

        Assert.That(token.HasChanged, Is.True, "endpoint routing is told to rebuild its matcher");
        Assert.That((await route("a.example.com", "/")).App, Is.EqualTo("new"));
        Assert.That((await route("b.example.com", "/")).App, Is.EqualTo(NoApp));
    }

    [TestCase(null, 255)]
    [TestCase("shop.example.com", 0)]
    [TestCase("*.shop.example.com", 236)]
    [TestCase("*.example.com", 241)]
    public void Route_order_ranks_exact_then_longer_wildcards_then_none(string? host, int order) =>
        Assert.That(RouteOrder.Of(host), Is.EqualTo(order));
}
