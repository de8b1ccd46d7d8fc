using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Workers;

internal interface ILogLevelControl
{
    /// <summary>Changes the log level at once (a new config's log.level).</summary>
    void Apply(LogLevelSetting level);
}
