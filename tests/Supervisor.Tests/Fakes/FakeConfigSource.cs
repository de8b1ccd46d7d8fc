using Cluster.Shared.Configuration;
using Cluster.Supervisor.Workers;

namespace Cluster.Supervisor.Tests.Fakes;

internal sealed class FakeConfigSource(SupervisorConfig initial) : IConfigSource
{
    public ConfigLoadResult Next { get; set; } = ConfigLoadResult.Valid(initial);

    public ConfigLoadResult Load() => Next;
}
