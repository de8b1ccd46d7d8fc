namespace Cluster.Supervisor.Workers.Routing;

/// <summary>
/// What one front end serves, as the control loop last published it: its apps in the config's order, each with its
/// routes and ready workers. Immutable; the front end swaps it in whole, and never reads the loop's state.
/// </summary>
internal sealed record RoutingSnapshot(IReadOnlyList<AppRoute> Apps)
{
    public static readonly RoutingSnapshot Empty = new([]);

    public bool SameAs(RoutingSnapshot other) => Apps.Count == other.Apps.Count && Apps.Zip(other.Apps).All(p => p.First.SameAs(p.Second));

    /// <summary>Whether only workers came or went since <paramref name="other"/>: no route changed.</summary>
    public bool SameRoutesAs(RoutingSnapshot other) => Apps.Count == other.Apps.Count && Apps.Zip(other.Apps).All(p => p.First.SameRouteAs(p.Second));

    /// <summary>Every app's ready workers.</summary>
    public IEnumerable<WorkerEndpoint> Ready => Apps.SelectMany(a => a.Ready);
}
