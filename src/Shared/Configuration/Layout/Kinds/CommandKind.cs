using System.Text.Json;
using System.Text.Json.Nodes;
using Cluster.Shared.Configuration.Parsing;

namespace Cluster.Shared.Configuration.Layout.Kinds;

/// <summary>The program a worker runs, found at validation (on PATH, or relative to the config file) so a typo is a config error.</summary>
internal sealed class CommandKind(string expected, string what) : Kind<WorkerCommand?>
{
    public override string Values => "program name or path";

    public override bool TryRead(Reading reading, ConfigNode node, out WorkerCommand? value)
    {
        value = null;
        var json = node.Value!.Value;
        if (json.ValueKind != JsonValueKind.String)
        {
            reading.Error(node, $"expected a string: {expected}, got {JsonDescriptions.Describe(json)}");
            return false;
        }

        var text = json.GetString()!;
        if (!System.Text.RegularExpressions.Regex.IsMatch(text, TextKind.NotBlank))
        {
            reading.Error(node, $"required: {what}");
            return false;
        }

        var resolved = CommandResolver.Resolve(text, reading.Context.ConfigDirectory, reading.Context.Environment.SearchPath, out var problem);
        if (resolved is null)
        {
            reading.Error(node, problem!, ConfigErrorKind.Machine);
            return false;
        }

        value = new WorkerCommand(text, resolved);
        return true;
    }

    public override JsonNode? Show(WorkerCommand? value) => value?.Path;

    public override JsonObject Schema(SchemaDefinitions definitions) => new() { ["type"] = "string", ["pattern"] = TextKind.NotBlank };
}
