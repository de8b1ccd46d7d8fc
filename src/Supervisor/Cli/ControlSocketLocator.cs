using System.Text.Json;
using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Cli;

/// <summary>
/// Where the control socket of the supervisor started with a config file is. Commands such as `supervisor status` must
/// work even while the file is being edited and invalid, so this reads only control.socket, leniently.
/// </summary>
internal static class ControlSocketLocator
{
    /// <summary>The socket path, and, when the file could not be read as JSON, a warning that it is only the default.</summary>
    public static (string Path, string? Warning) For(string configPath, ConfigEnvironment environment)
    {
        var configFile = Path.GetFullPath(configPath);
        var valid = ConfigLoader.Load(configFile, ConfigOverrides.None, environment);
        if (valid.IsValid)
        {
            return (valid.Config!.Control.Socket, null);
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(configFile), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (document.RootElement.ValueKind == JsonValueKind.Object &&
                document.RootElement.TryGetProperty("control", out var control) && control.ValueKind == JsonValueKind.Object &&
                control.TryGetProperty("socket", out var socket) && socket.ValueKind == JsonValueKind.String)
            {
                return (Path.GetFullPath(socket.GetString()!, Path.GetDirectoryName(configFile)!), null);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            var fallback = RuntimeDirectories.FileFor(environment.RuntimeDirectory, configFile, ".sock");
            return (fallback, $"cannot read control.socket from {configFile} ({e.Message.Split(" LineNumber")[0].Split(" Path:")[0]}); trying the default socket; give --socket if the supervisor uses another");
        }

        return (RuntimeDirectories.FileFor(environment.RuntimeDirectory, configFile, ".sock"), null);
    }
}
