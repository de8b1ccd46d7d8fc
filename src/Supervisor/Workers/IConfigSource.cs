using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Workers;

/// <summary>Re-reads the config file the supervisor was started with (and its command-line overrides).</summary>
internal interface IConfigSource
{
    ConfigLoadResult Load();
}
