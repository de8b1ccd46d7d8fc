using Cluster.Shared.Configuration;
using Cluster.TestSupport;

namespace Cluster.Supervisor.Tests.Configuration;

/// <summary>Writes config text into a temporary folder with a fake executable "server" and loads it.</summary>
internal sealed class ConfigFixture : IDisposable
{
    private readonly TempFolder _folder = new("config");

    public ConfigFixture()
    {
        Directory.CreateDirectory(BinFolder);
        ServerPath = Path.Combine(BinFolder, "server");
        File.WriteAllText(ServerPath, "#!/bin/sh\nexit 0\n");
        File.SetUnixFileMode(ServerPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Folder => _folder.Path;

    public string BinFolder => Path.Combine(Folder, "bin");

    public string ServerPath { get; }

    public string ConfigPath => Path.Combine(Folder, "supervisor.json");

    /// <summary>
    /// PATH holds only the fixture's bin folder, the machine has 6 CPUs and a few Debian accounts (nobody, www-data),
    /// run-time files go under "run", and the supervisor runs as root.
    /// </summary>
    public ConfigEnvironment Environment => new(ProcessorCount: 6, SearchPath: BinFolder, RuntimeDirectory: Path.Combine(Folder, "run"))
    {
        Accounts = Fakes.FakeAccounts.Debian,
        Credentials = Fakes.FakeAccounts.Root,
    };

    public ConfigLoadResult Load(string json, ConfigOverrides? overrides = null)
    {
        File.WriteAllText(ConfigPath, json);
        return ConfigLoader.Load(ConfigPath, overrides ?? ConfigOverrides.None, Environment);
    }

    public SupervisorConfig LoadValid(string json, ConfigOverrides? overrides = null)
    {
        var result = Load(json, overrides);
        Assert.That(result.Errors, Is.Empty);
        return result.Config!;
    }

    /// <summary>The only (or first of <paramref name="expectedErrors"/>) error, as "path: message".</summary>
    public string OnlyError(string json, ConfigOverrides? overrides = null, int expectedErrors = 1)
    {
        var result = Load(json, overrides);
        Assert.That(result.IsValid, Is.False);
        Assert.That(result.Errors, Has.Count.EqualTo(expectedErrors), string.Join('\n', result.Errors));
        return result.Errors[0].ToString();
    }

    public void Dispose() => _folder.Dispose();
}
