using System.Text.Json;

namespace Cluster.Shared.Configuration;

/// <summary>
/// Where the control socket of the supervisor started with a config file is. Commands such as `supervisor status` must
/// work even while the file is being edited and invalid, so this reads only control.socket, leniently.
/// </summary>
public static class ControlSocketLocator
{
    public static string For(string configPath, ConfigEnvironment environment)
    {
        var configFile = Path.GetFullPath(configPath);
        var valid = ConfigLoader.Load(configFile, ConfigOverrides.None, environment);
        if (valid.IsValid)
        {
            return valid.Config!.Control.Socket;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(configFile), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (document.RootElement.ValueKind == JsonValueKind.Object &&
                document.RootElement.TryGetProperty("control", out var control) && control.ValueKind == JsonValueKind.Object &&
                control.TryGetProperty("socket", out var socket) && socket.ValueKind == JsonValueKind.String)
            {
                return Path.GetFullPath(socket.GetString()!, Path.GetDirectoryName(configFile)!);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            // Unreadable: the default path is all there is.
        }

        return RuntimeDirectories.FileFor(environment.RuntimeDirectory, configFile, ".sock");
    }
}
