using Cluster.Shared.Accounts;

namespace Cluster.Shared.Configuration;

/// <summary>
/// The facts of the machine that validation depends on, and the environment variables that may override the file
/// (<see cref="EnvironmentOverrides.Prefix"/>); tests substitute their own.
/// </summary>
public sealed record ConfigEnvironment(int ProcessorCount, string? SearchPath, string RuntimeDirectory, IReadOnlyDictionary<string, string>? Variables = null)
{
    /// <summary>Environment.ProcessorCount honours cgroup CPU limits and DOTNET_PROCESSOR_COUNT, so "auto" is right in containers.</summary>
    public static ConfigEnvironment Current => new(
        Environment.ProcessorCount,
        Environment.GetEnvironmentVariable("PATH"),
        RuntimeDirectories.Default(Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR")),
        EnvironmentOverrides.FromProcess());

    /// <summary>The users and groups worker.user and worker.group name.</summary>
    public IAccountDatabase Accounts { get; init; } = SystemAccounts.Instance;

    /// <summary>Who reads the config (the supervisor): whether it may start workers as another user.</summary>
    public ProcessCredentials Credentials { get; init; } = ProcessCredentials.Current;
}
