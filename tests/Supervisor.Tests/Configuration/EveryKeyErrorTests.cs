using Cluster.Shared.Configuration;
using Cluster.Shared.Configuration.Layout;

namespace Cluster.Supervisor.Tests.Configuration;

/// <summary>Every key of the layout, given a wrong value in the file or by its variable, is named in the error: its JSON path, or the variable.</summary>
public sealed class EveryKeyErrorTests : ConfigTestBase
{
    private static IEnumerable<string> Keys() => ConfigLayout.Root.Walk().Where(m => m.Member is { IsSetting: true, Content: null } && !m.Path.StartsWith("apps.", StringComparison.Ordinal)).Select(m => m.Path);

    /// <summary>The keys of an app ("hosts", "worker.command"): set with "apps" as a whole, so named by their path only.</summary>
    private static IEnumerable<string> AppKeys() => ConfigLayout.App.Walk().Where(m => m.Member is { IsSetting: true, Content: null }).Select(m => m.Path);

    [TestCaseSource(nameof(Keys))]
    public void A_wrong_value_is_named_by_its_path_and_by_its_variable(string key)
    {
        const string Json = "{ \"worker\": { \"command\": \"server\" } }";
        var inFile = Fixture.Load(Nest(key, "[[true]]"));
        var variable = EnvironmentOverrides.NameOf(key);
        var fromVariable = ConfigLoader.Parse(Json, Fixture.ConfigPath, ConfigOverrides.None, Fixture.Environment with { Variables = new Dictionary<string, string> { [variable] = "[[true]]" } });

        Assert.That(inFile.Errors.Select(e => e.Path), Has.Some.StartsWith($"$.{key}"), string.Join("\n", inFile.Errors));
        Assert.That(fromVariable.Errors.Select(e => e.Path), Has.Some.StartsWith(variable), string.Join("\n", fromVariable.Errors));
    }

    [TestCaseSource(nameof(AppKeys))]
    public void A_wrong_value_of_an_apps_key_is_named_by_its_path(string key)
    {
        var app = Nest(key, "[[true]]");
        var loaded = Fixture.Load($$"""{ "apps": { "shop": {{app}} } }""");

        Assert.That(loaded.Errors.Select(e => e.Path), Has.Some.StartsWith($"$.apps.shop.{key}"), string.Join("\n", loaded.Errors));
    }

    /// <summary>{"a": {"b": value}} for "a.b", with a worker command unless the key is one of worker's.</summary>
    private static string Nest(string key, string value)
    {
        var parts = key.Split('.');
        var nested = parts.Reverse().Aggregate(value, (inner, part) => $"{{ \"{part}\": {inner} }}");
        return key == "worker.command" ? nested
            : parts[0] == "worker" ? nested.Insert(nested.IndexOf("\"worker\": {", StringComparison.Ordinal) + 11, " \"command\": \"server\",")
            : nested.Insert(1, " \"worker\": { \"command\": \"server\" },");
    }
}
