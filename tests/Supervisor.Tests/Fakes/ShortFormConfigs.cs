using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Tests;

/// <summary>A config of one app (the short form) as the tests read and change it.</summary>
internal static class ShortFormConfigs
{
    /// <summary>The one app of a config of the short form.</summary>
    public static AppConfig DefaultApp(this SupervisorConfig config) => config.Apps.Single();

    /// <summary>The config with its one app changed.</summary>
    public static SupervisorConfig WithApp(this SupervisorConfig config, Func<AppConfig, AppConfig> change) => config with { Apps = [change(config.Apps.Single())] };
}
