using Cluster.Shared.Configuration;
using Cluster.Supervisor.Workers;

namespace Cluster.Supervisor.Tests.Fakes;

internal sealed class FakeLogLevels : ILogLevelControl
{
    public List<LogLevelSetting> Applied { get; } = [];

    public void Apply(LogLevelSetting level) => Applied.Add(level);
}
