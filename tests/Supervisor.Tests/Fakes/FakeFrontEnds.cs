using Cluster.Shared.Configuration;
using Cluster.Supervisor.Workers;

namespace Cluster.Supervisor.Tests.Fakes;

/// <summary>One fake front end for every app, or one of its own for the apps given one.</summary>
internal sealed class FakeFrontEnds(FakeFrontEnd top) : IFrontEnds
{
    public Dictionary<string, FakeFrontEnd> Own { get; } = [];

    public IFrontEnd For(AppConfig app) => Own.GetValueOrDefault(app.Name) ?? top;

    public IReadOnlyList<IFrontEnd> All => [top, .. Own.Values];
}
