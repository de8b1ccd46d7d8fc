using Cluster.Shared.Configuration;
using Cluster.Supervisor.Workers;

namespace Cluster.Supervisor.Hosting;

/// <summary>The config file given at start, re-read with the same command-line overrides (they keep winning).</summary>
internal sealed class FileConfigSource(string path, ConfigOverrides overrides) : IConfigSource
{
    public ConfigLoadResult Load() => ConfigLoader.Load(path, overrides, ConfigEnvironment.Current);
}
