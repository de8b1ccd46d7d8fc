namespace Cluster.Shared.Configuration.Parsing;

/// <summary>What reading depends on besides the text: where the file is (relative paths), the machine, the time.</summary>
internal sealed record ReadingContext(string ConfigFile, ConfigEnvironment Environment, DateTimeOffset Now)
{
    public string ConfigDirectory => System.IO.Path.GetDirectoryName(ConfigFile)!;
    public string FullPath(string path) => System.IO.Path.GetFullPath(path, ConfigDirectory);
}
