using Cluster.Supervisor.Control;

namespace Cluster.Supervisor.Cli.Top;

/// <summary>One refresh of `supervisor top`: the status, its rates against the refresh before, and the latest lifecycle lines.</summary>
internal sealed record TopSample(StatusReport Report, TrafficRates? Rates, IReadOnlyList<string> Lifecycle);
