using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cluster.Shared.Configuration;
using Cluster.Shared.Configuration.Layout;

namespace Cluster.Supervisor.Cli;

/// <summary>
/// `config show`'s text: the effective configuration as indented JSON, one key per line; with sources, each value set
/// by the file, a variable or a flag ends with a comment saying which (the supervisor reads comments, so it loads).
/// </summary>
internal static class EffectiveConfigText
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(SupervisorConfig config, IReadOnlyDictionary<string, string>? sources)
    {
        var text = new StringBuilder();
        Write(text, ConfigDocuments.Effective(config), string.Empty, 0, sources, last: true);
        return text.ToString();
    }

    private static void Write(StringBuilder text, JsonNode? node, string path, int depth, IReadOnlyDictionary<string, string>? sources, bool last)
    {
        var comma = last ? string.Empty : ",";
        if (node is JsonObject section && ConfigDocuments.IsSection(path))
        {
            text.Append("{\n");
            var members = section.ToList();
            for (var i = 0; i < members.Count; i++)
            {
                text.Append(' ', (depth + 1) * 2).Append(JsonValue.Create(members[i].Key).ToJsonString(Compact)).Append(": ");
                Write(text, members[i].Value, path.Length == 0 ? members[i].Key : $"{path}.{members[i].Key}", depth + 1, sources, i == members.Count - 1);
            }

            text.Append(' ', depth * 2).Append('}').Append(comma).Append('\n');
            return;
        }

        var source = sources is not null && sources.TryGetValue(path, out var where) ? $" // from {(where.StartsWith('$') ? "the file" : where)}" : string.Empty;
        text.Append(node is null ? "null" : node.ToJsonString(Compact)).Append(comma).Append(source).Append('\n');
    }
}
