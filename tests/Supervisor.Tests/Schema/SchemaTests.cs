using System.Text.Json;
using System.Text.Json.Nodes;
using Cluster.Shared.Configuration;
using Cluster.Shared.Configuration.Parsing;
using Cluster.Supervisor.Tests.Configuration;
using Cluster.TestSupport;
using Json.Schema;

namespace Cluster.Supervisor.Tests.Schema;

/// <summary>supervisor.schema.json and the config model agree; every example config in the repository is valid by both.</summary>
public sealed class SchemaTests : ConfigTestBase
{
    private static readonly JsonDocumentOptions Jsonc = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private static readonly string SchemaText = File.ReadAllText(RepositoryPaths.InRepository("supervisor.schema.json"));

    /// <summary>The schema as a validator sees it (draft-07, from its $schema), parsed once: it registers itself by its $id.</summary>
    private static readonly JsonSchema Validator = JsonSchema.FromText(SchemaText);

    private static JsonObject Schema => JsonNode.Parse(SchemaText)!.AsObject();

    [Test]
    public void Every_object_of_the_model_has_exactly_its_keys_in_the_schema()
    {
        foreach (var (section, keys) in ConfigSections.Objects)
        {
            var node = ObjectAt(Schema, section);

            Assert.That(node, Is.Not.Null, $"the schema has no object for \"{section}\"");
            Assert.That(node!["properties"]!.AsObject().Select(p => p.Key), Is.EquivalentTo(keys), $"keys of \"{section}\"");
            Assert.That((bool?)node["additionalProperties"], Is.False, $"\"{section}\" must refuse unknown keys, as the supervisor does");
        }
    }

    [Test]
    public void Every_object_of_the_schema_is_an_object_of_the_model()
    {
        var found = new List<string>();
        CollectObjects(Schema, string.Empty, found);

        Assert.That(found, Is.EquivalentTo(ConfigSections.Objects.Keys.Concat(ConfigSections.FreeForm)));
        foreach (var map in ConfigSections.FreeForm)
        {
            Assert.That((string?)ObjectAt(Schema, map)!["additionalProperties"]!["type"], Is.EqualTo("string"), map);
        }
    }

    [Test]
    public void The_listen_and_tls_shapes_have_the_models_keys()
    {
        var listen = Schema["properties"]!["listen"]!["oneOf"]!.AsArray();
        var listener = listen.OfType<JsonObject>().Single(a => (string?)a["type"] == "object");
        var arrayItems = listen.OfType<JsonObject>().Single(a => (string?)a["type"] == "array")["items"]!["oneOf"]!.AsArray();
        var certificates = ObjectAt(Schema, "tls")!["properties"]!["certificates"]!["items"]!.AsObject();

        Assert.That(listener["properties"]!.AsObject().Select(p => p.Key), Is.EquivalentTo(ListenConfigReader.ListenerKeys));
        Assert.That(arrayItems.OfType<JsonObject>().Any(a => JsonNode.DeepEquals(a, listener)), Is.True, "an array item may be the same object");
        Assert.That((bool?)listener["additionalProperties"], Is.False);
        Assert.That(certificates["properties"]!.AsObject().Select(p => p.Key), Is.EquivalentTo(TlsConfigReader.CertificateKeys));
        Assert.That((bool?)certificates["additionalProperties"], Is.False);
    }

    [Test]
    public void The_allowed_values_agree()
    {
        Assert.That(Enum("proxy", "loadBalancing"), Is.EqualTo(SupervisorConfigReader.DocumentedPolicies));
        Assert.That(Enum("proxy", "forwardedHeaders"), Is.EquivalentTo(SupervisorConfigReader.ForwardedModes.Keys));
        Assert.That(Enum("log", "level"), Is.EquivalentTo(SupervisorConfigReader.LogLevels.Keys));
        Assert.That(Enum("log.file", "rollingInterval"), Is.EquivalentTo(SupervisorConfigReader.RollingIntervals.Keys));
        Assert.That(Enum("log.file", "format"), Is.EquivalentTo(SupervisorConfigReader.LogFormats.Keys));
        Assert.That(Enum("worker", "protocol"), Is.EquivalentTo(SupervisorConfigReader.WorkerProtocols.Keys));
    }

    [Test]
    public void The_defaults_in_the_schema_are_the_models_defaults()
    {
        var explicitDefaults = new JsonObject { ["worker"] = new JsonObject { ["command"] = "server" } };
        var count = CopyDefaults(Schema, explicitDefaults);
        var fromDefaults = Fixture.LoadValid(explicitDefaults.ToJsonString());
        var minimal = Fixture.LoadValid("""{ "worker": { "command": "server" } }""");

        Assert.That(count, Is.GreaterThan(30), "the schema should state the defaults");
        Assert.That(fromDefaults.Workers, Is.EqualTo(minimal.Workers));
        Assert.That(fromDefaults.Listeners, Is.EqualTo(minimal.Listeners));
        Assert.That(fromDefaults.ShutdownTimeout, Is.EqualTo(minimal.ShutdownTimeout));
        Assert.That(fromDefaults.Worker with { Args = minimal.Worker.Args, Env = minimal.Worker.Env }, Is.EqualTo(minimal.Worker));
        Assert.That(fromDefaults.Restart with { NoRestartExitCodes = minimal.Restart.NoRestartExitCodes }, Is.EqualTo(minimal.Restart));
        Assert.That(fromDefaults.Health, Is.EqualTo(minimal.Health));
        Assert.That(fromDefaults.Recycle, Is.EqualTo(minimal.Recycle));
        Assert.That(fromDefaults.Proxy, Is.EqualTo(minimal.Proxy));
        Assert.That(fromDefaults.Limits with { MaxRequestBodyBytes = minimal.Limits.MaxRequestBodyBytes }, Is.EqualTo(minimal.Limits));
        Assert.That(fromDefaults.AccessLog, Is.EqualTo(minimal.AccessLog));
        Assert.That(fromDefaults.LoadBalancerHealth, Is.EqualTo(minimal.LoadBalancerHealth));
        Assert.That((fromDefaults.RedirectHttpToHttps, fromDefaults.Tls, fromDefaults.Hsts), Is.EqualTo((minimal.RedirectHttpToHttps, minimal.Tls, minimal.Hsts)));
        Assert.That(fromDefaults.Log, Is.EqualTo(minimal.Log));
    }

    [Test]
    public void Every_example_config_in_the_repository_is_valid()
    {
        var examples = ExampleConfigs().ToList();

        Assert.That(examples.Select(e => Path.GetRelativePath(RepositoryPaths.Root, e)), Does.Contain("supervisor.json").And.Contain(Path.Combine("bench", "restart-latency.json")));
        foreach (var example in examples)
        {
            var text = File.ReadAllText(example);
            var node = JsonNode.Parse(text, documentOptions: Jsonc);
            Assert.That(Errors(node), Is.Empty, $"{example} against supervisor.schema.json");
            var loaded = ConfigLoader.Parse(text, example, ConfigOverrides.None, ConfigEnvironment.Current with { Variables = new Dictionary<string, string>() });
            // A command that is not built or installed here is the only acceptable complaint.
            Assert.That(loaded.Errors.Where(e => !e.Message.Contains("not found", StringComparison.Ordinal)).Select(e => e.ToString()), Is.Empty, example);
        }
    }

    [Test]
    public void The_schema_validator_rejects_what_the_supervisor_rejects()
    {
        static List<string> ErrorsIn(string json) => Errors(JsonNode.Parse(json));

        Assert.That(ErrorsIn("""{ "worker": { "command": "x" } }"""), Is.Empty);
        Assert.That(ErrorsIn("""{ "worker": { "comand": "x" } }"""), Has.Some.StartsWith("$.worker.comand: additionalProperties:").And.Some.Match(@"^\$\.worker: required: .*""command"""));
        Assert.That(ErrorsIn("""{ "workers": 0, "worker": { "command": "x" } }"""), Has.Some.StartsWith("$.workers: oneOf:").And.Some.StartsWith("$.workers: minimum:"));
        Assert.That(ErrorsIn("""{ "workers": "max", "worker": { "command": "x" } }"""), Has.Some.StartsWith("$.workers: oneOf:"));
        Assert.That(ErrorsIn("""{ "shutdownTimeout": "30", "worker": { "command": "x" } }"""), Has.Some.StartsWith("$.shutdownTimeout: pattern:"));
        Assert.That(ErrorsIn("""{ "proxy": { "loadBalancing": "random" }, "worker": { "command": "x" } }"""), Has.Some.StartsWith("$.proxy.loadBalancing: enum:"));
        Assert.That(ErrorsIn("""{ "limits": { "maxRequestBodySize": "10XB" }, "worker": { "command": "x" } }"""), Has.Some.StartsWith("$.limits.maxRequestBodySize: oneOf:"));
        Assert.That(ErrorsIn("""{ "rateLimit": null, "worker": { "command": "x" } }"""), Is.Empty);
        Assert.That(ErrorsIn("""{ "listen": ["http://0.0.0.0:80", { "url": "http://10.0.0.5:50051", "http2": true }], "worker": { "command": "x" } }"""), Is.Empty);
        Assert.That(ErrorsIn("""{ "listen": "http://0.0.0.0:80, https://0.0.0.0:443", "worker": { "command": "x" } }"""), Is.Empty);
        Assert.That(ErrorsIn("""{ "listen": "ftp://0.0.0.0:21", "worker": { "command": "x" } }"""), Has.Some.StartsWith("$.listen: "));
        Assert.That(ErrorsIn("""{ "listen": [{ "url": "http://0.0.0.0:80", "h2": true }], "worker": { "command": "x" } }"""), Has.Some.StartsWith("$.listen.0.h2: additionalProperties:"));
        Assert.That(ErrorsIn("""{ "tls": { "certificates": [{ "certificate": "a.pem" }] }, "worker": { "command": "x" } }"""), Has.Some.Match(@"^\$\.tls\.certificates\.0: required: .*""key"""));
        Assert.That(ErrorsIn("""{ "hsts": { "maxAge": "1y" }, "worker": { "command": "x" } }"""), Has.Some.StartsWith("$.hsts.maxAge: pattern:"));
        Assert.That(ErrorsIn("""{ "worker": { "command": "x", "protocol": "grpc" } }"""), Has.Some.StartsWith("$.worker.protocol: enum:"));
    }

    /// <summary>
    /// Why <paramref name="config"/> fails the schema, one "$.json.path: keyword: message" per failed keyword (empty when
    /// it is valid: a oneOf alternative that did not match is not an error when another did).
    /// </summary>
    private static List<string> Errors(JsonNode? config)
    {
        var results = Validator.Evaluate(config, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return [];
        }

        return results.Details
            .Where(d => d.HasErrors)
            .SelectMany(d => d.Errors!.Select(e =>
                // A false subschema (additionalProperties: false) reports no keyword of its own: name the one that holds it.
                $"{JsonPath(d.InstanceLocation)}: {(e.Key.Length > 0 ? e.Key : d.EvaluationPath[^1])}: {e.Value}"))
            .ToList();
    }

    private static string JsonPath(Json.Pointer.JsonPointer pointer) => "$" + string.Concat(pointer.Select(segment => "." + segment));

    /// <summary>Every .json file in the repository whose root has a "worker" key: a supervisor config.</summary>
    private static IEnumerable<string> ExampleConfigs()
    {
        string[] skipped = ["bin", "obj", ".git", "node_modules", "results", "TestResults"];
        return Directory.EnumerateFiles(RepositoryPaths.Root, "*.json", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(RepositoryPaths.Root, f).Split(Path.DirectorySeparatorChar).Any(skipped.Contains))
            .Where(f => !f.EndsWith(".schema.json", StringComparison.Ordinal))
            .Where(f =>
            {
                try
                {
                    return JsonNode.Parse(File.ReadAllText(f), documentOptions: Jsonc) is JsonObject root && root.ContainsKey("worker");
                }
                catch (JsonException)
                {
                    return false;
                }
            });
    }

    private static JsonObject? ObjectAt(JsonObject schema, string dottedPath)
    {
        var node = schema;
        foreach (var key in dottedPath.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            node = AsObjectSchema(node["properties"]?[key]);
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    /// <summary>
    /// An object schema, or the object alternative of a oneOf whose other alternative is null (rateLimit). A value that
    /// may also be a string or an array ("listen") is a value of its own shape, not a section of keys.
    /// </summary>
    private static JsonObject? AsObjectSchema(JsonNode? node) =>
        node is not JsonObject obj ? null
        : obj["oneOf"] is JsonArray alternatives
            ? alternatives.OfType<JsonObject>().All(a => (string?)a["type"] is "object" or "null") ? alternatives.OfType<JsonObject>().FirstOrDefault(a => (string?)a["type"] == "object") : null
        : obj;

    private static void CollectObjects(JsonObject schema, string path, List<string> found)
    {
        if (schema["properties"] is JsonObject properties)
        {
            found.Add(path);
            foreach (var (key, child) in properties)
            {
                if (AsObjectSchema(child) is { } childObject && ((string?)childObject["type"] == "object"))
                {
                    CollectObjects(childObject, path.Length == 0 ? key : $"{path}.{key}", found);
                }
            }
        }
        else if (schema["additionalProperties"] is JsonObject)
        {
            found.Add(path);
        }
    }

    private static List<string> Enum(string section, string key) =>
        ObjectAt(Schema, section)!["properties"]![key]!["enum"]!.AsArray().Select(v => (string)v!).ToList();

    /// <summary>Writes every default the schema states into <paramref name="target"/>; returns how many.</summary>
    private static int CopyDefaults(JsonObject schema, JsonObject target)
    {
        var count = 0;
        foreach (var (key, child) in schema["properties"]?.AsObject() ?? [])
        {
            if (child!["default"] is { } value)
            {
                if (target[key] is JsonObject existing && value is JsonObject)
                {
                    continue;
                }

                target[key] ??= value.DeepClone();
                count++;
            }
            else if (AsObjectSchema(child) is { } childObject && (string?)childObject["type"] == "object" && childObject["properties"] is not null && key is not ("rateLimit" or "tls" or "hsts"))
            {
                var nested = target[key] as JsonObject ?? new JsonObject();
                count += CopyDefaults(childObject, nested);
                target[key] = nested;
            }
        }

        return count;
    }
}
