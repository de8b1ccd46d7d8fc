using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Cli;

internal static class ConfigErrorPrinter
{
    public static async Task PrintWarningsAsync(TextWriter output, ConfigLoadResult result)
    {
        foreach (var warning in result.Warnings)
        {
            await output.WriteLineAsync($"supervisor: warning: {warning}");
        }
    }

    public static async Task PrintAsync(TextWriter output, string configPath, IReadOnlyList<ConfigError> errors)
    {
        var file = Path.GetFullPath(configPath);
        if (errors is [var only] && only.Path == file)
        {
            await output.WriteLineAsync($"supervisor: {file}: {only.Message}");
            return;
        }

        await output.WriteLineAsync($"supervisor: invalid configuration in {file} ({errors.Count} error{(errors.Count == 1 ? string.Empty : "s")}):");
        foreach (var error in errors)
        {
            await output.WriteLineAsync($"  {error}");
        }
    }
}
