using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cluster.Shared.Configuration.Parsing;

namespace Cluster.Shared.Configuration.Layout.Kinds;

/// <summary>A listener of the supervisor's own (health, metrics): one http:// URL; with <paramref name="loopback"/> on a loopback address only.</summary>
internal sealed class AddressKind(bool loopback) : Kind<ListenAddress?>
{
    private const string LoopbackExpected = "a loopback URL such as \"http://127.0.0.1:9100\" (host 127.0.0.1, [::1] or localhost, port 1-65535, no path)";

    private string Expected => loopback ? LoopbackExpected : ListenUrls.ExpectedHttp;

    public override string Values => loopback ? "loopback `http://` URL" : "`http://` URL";

    public override bool TryRead(Reading reading, ConfigNode node, out ListenAddress? value)
    {
        value = null;
        var json = node.Value!.Value;
        if (json.ValueKind != JsonValueKind.String)
        {
            reading.Error(node, $"expected {Expected}, got {JsonDescriptions.Describe(json)}");
            return false;
        }

        var text = json.GetString()!;
        value = ListenUrls.TryParse(text, https: false, out var problem);
        if (value is not null && loopback && !Regex.IsMatch(text, ListenUrls.LoopbackPattern, RegexOptions.CultureInvariant))
        {
            // Anyone who can reach the port could read the metrics: worker PIDs, traffic, memory.
            problem = "metrics are served without authentication, so only on a loopback address (scrape from another machine through a tunnel or an authenticating proxy, or use the control socket)";
            value = null;
        }

        if (value is null)
        {
            reading.Error(node, $"expected {Expected}; got {JsonDescriptions.Quote(text)}: {problem}");
        }

        return value is not null;
    }

    public override JsonNode? Show(ListenAddress? value) => value?.Url;

    public override JsonObject Schema(SchemaDefinitions definitions) =>
        new() { ["type"] = "string", ["pattern"] = loopback ? ListenUrls.LoopbackPattern : ListenUrls.Pattern(https: false) };
}
