using Cluster.Supervisor.Workers.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.Primitives;

namespace Cluster.Supervisor.FrontEnd.Routing;

/// <summary>
/// The apps' routes as ASP.NET Core endpoints, which endpoint routing matches (its DFA matcher, host matching by
/// <see cref="HostAttribute"/>): one endpoint per host and path prefix of each app, <c>/api/{**rest}</c> so that
/// <c>/api</c> and <c>/api/x</c> match and <c>/apix</c> does not. Replaced whole when a route changes (never when only
/// workers come and go: those live in each app's <see cref="AppTarget"/>); endpoint routing then rebuilds its matcher
/// and swaps it in, so a request sees the old routes or the new ones, never a mix.
/// </summary>
internal sealed class AppRouteTable : EndpointDataSource, IDisposable
{
    /// <summary>The route value of what follows an app's path prefix.</summary>
    public const string Rest = "clusterRest";

    private volatile IReadOnlyList<Endpoint> _endpoints = [];
    private CancellationTokenSource _changed = new();

    public override IReadOnlyList<Endpoint> Endpoints => _endpoints;

    public override IChangeToken GetChangeToken() => new CancellationChangeToken(_changed.Token);

    /// <summary>Makes <paramref name="apps"/> the routes; <paramref name="handler"/> gives the delegate of each app's endpoints.</summary>
    /// <param name="handler">The app, and the path prefix to strip from the forwarded path (null to pass it on unchanged).</param>
    public void Replace(IReadOnlyList<AppRoute> apps, Func<AppRoute, string?, RequestDelegate> handler)
    {
        _endpoints = [.. apps.SelectMany(app => EndpointsOf(app, handler))];
        var changed = _changed;
        _changed = new CancellationTokenSource();
        changed.Cancel();
        changed.Dispose();
    }

    private static IEnumerable<Endpoint> EndpointsOf(AppRoute app, Func<AppRoute, string?, RequestDelegate> handler)
    {
        IReadOnlyList<string?> hosts = app.Hosts.Count == 0 ? [null] : [.. app.Hosts];
        IReadOnlyList<string?> paths = app.Paths.Count == 0 ? [null] : [.. app.Paths];
        foreach (var host in hosts)
        {
            foreach (var path in paths)
            {
                var metadata = host is null ? new EndpointMetadataCollection() : new EndpointMetadataCollection(new HostAttribute(host));
                yield return new RouteEndpoint(
                    handler(app, app.StripPath ? path : null),
                    Pattern(path),
                    RouteOrder.Of(host),
                    metadata,
                    $"app {app.App}: {host ?? "any host"} {path ?? "/"}");
            }
        }
    }

    public void Dispose() => _changed.Dispose();

    /// <summary>The prefix and everything below it, on segment boundaries; braces in it taken literally.</summary>
    private static RoutePattern Pattern(string? prefix) =>
        RoutePatternFactory.Parse($"{(prefix ?? string.Empty).TrimEnd('/').Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal)}/{{**{Rest}}}");
}
