using System.Text.Json;
using System.Text.Json.Nodes;
using Cluster.Shared.Configuration;
using Cluster.Shared.Configuration.Layout;
using Cluster.Supervisor.Cli;

namespace Cluster.Supervisor.Tests.Configuration;

/// <summary>`supervisor config show`: the file, the SUPERVISOR_* variables and the flags merged, defaults filled in, and where each value came from.</summary>
public sealed class ConfigShowTests : ConfigTestBase
{
    private const string File = """{ "workers": 2, "listen": "http://127.0.0.1:8080", "worker": { "command": "server", "args": ["app.dll"] }, "restart": { "delay": "1s" } }""";

    [Test]
    public void The_merged_values_come_with_their_sources()
    {
        var result = Load(new() { ["SUPERVISOR_RESTART__MAXDELAY"] = "1m", ["SUPERVISOR_LOG__LEVEL"] = "debug", ["SUPERVISOR_WORKERS"] = "4" }, new ConfigOverrides { Workers = "3" });

        var lines = EffectiveConfigText.Write(result.Config!, result.Sources).Split('\n');

        Assert.That(lines, Has.One.EqualTo("  \"workers\": 3, // from --workers"), "the flag over the variable over the file");
        Assert.That(lines, Has.One.EqualTo("  \"listen\": [\"http://127.0.0.1:8080\"], // from the file"));
        Assert.That(lines, Has.One.EqualTo("    \"delay\": \"1s\", // from the file"));
        Assert.That(lines, Has.One.EqualTo("    \"maxDelay\": \"1m\", // from SUPERVISOR_RESTART__MAXDELAY"));
        Assert.That(lines, Has.One.EqualTo("    \"level\": \"debug\", // from SUPERVISOR_LOG__LEVEL"));
        Assert.That(lines, Has.One.EqualTo($"    \"command\": \"{Fixture.ServerPath}\", // from the file"), "found on PATH");
        Assert.That(lines, Has.One.EqualTo("    \"multiplier\": 2,"), "a default, without a source");
        Assert.That(lines, Has.One.EqualTo("  \"frontEnd\": \"proxy\","));
    }

    [Test]
    public void Without_sources_it_is_plain_JSON_that_loads_as_the_same_config()
    {
        var result = Load(new() { ["SUPERVISOR_RESTART__MAXDELAY"] = "1m" }, ConfigOverrides.None);
        var shown = EffectiveConfigText.Write(result.Config!, sources: null);

        var again = ConfigLoader.Parse(shown, Fixture.ConfigPath, ConfigOverrides.None, Fixture.Environment);

        Assert.That(JsonNode.Parse(shown), Is.Not.Null, "plain JSON");
        Assert.That(again.Errors, Is.Empty, shown);
        Assert.That(ConfigChanges.Between(result.Config!, again.Config!).All, Is.Empty, "every value, defaults included, as it was");
        Assert.That(JsonDocument.Parse(EffectiveConfigText.Write(result.Config!, result.Sources), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip }), Is.Not.Null, "with sources it is JSON with comments, as the supervisor reads it");
    }

    private ConfigLoadResult Load(Dictionary<string, string> variables, ConfigOverrides overrides) =>
        ConfigLoader.Parse(File, Fixture.ConfigPath, overrides, Fixture.Environment with { Variables = variables });
}
