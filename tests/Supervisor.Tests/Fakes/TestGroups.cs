using Cluster.Shared.Configuration;
using Cluster.Supervisor.Workers;

namespace Cluster.Supervisor.Tests.Fakes;

/// <summary>Worker groups for tests that need a worker outside a running loop.</summary>
internal static class TestGroups
{
    /// <summary>A group of the app <paramref name="app"/>, served by a fake front end.</summary>
    public static WorkerGroup Of(string app = AppConfig.DefaultName) =>
        new(new AppConfig { Name = app, Workers = new WorkerCount(1, IsAuto: false) }, generation: 1, new FakeFrontEnd(), () => 0.5);

    /// <summary>A worker of slot <paramref name="id"/> in a group of its own.</summary>
    public static Worker Worker(int id, string app = AppConfig.DefaultName) => new(Of(app), id);
}
