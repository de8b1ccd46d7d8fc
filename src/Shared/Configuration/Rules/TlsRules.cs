using System.Text.Json.Nodes;
using Cluster.Shared.Configuration.Layout;
using Cluster.Shared.Configuration.Layout.Kinds;
using Cluster.Shared.Configuration.Parsing;
using Cluster.Shared.Tls;

namespace Cluster.Shared.Configuration.Rules;

/// <summary>
/// What only makes sense together: https listeners and "tls", a redirect and both kinds of listener, HSTS and https; and
/// the certificates themselves, loaded and checked now so that a bad file stops `start`, `check` and a reload with its
/// path rather than a handshake later.
/// </summary>
internal static class TlsRules
{
    public const string CertificateFile = "the certificate and its intermediates, e.g. \"/etc/letsencrypt/live/example.com/fullchain.pem\"";
    public const string KeyFile = "its private key, unencrypted, e.g. \"/etc/letsencrypt/live/example.com/privkey.pem\"";
    public const string CertificateWhat = $"{CertificateFile} (a PEM file; relative paths resolve against the config file's folder)";
    public const string KeyWhat = $"{KeyFile} (a PEM file; relative paths resolve against the config file's folder)";
    public const string ExpectedPair = "{\"certificate\": \"/etc/letsencrypt/live/example.com/fullchain.pem\", \"key\": \"/etc/letsencrypt/live/example.com/privkey.pem\"}";

    public static void Check(SupervisorConfig config, Reading reading)
    {
        if (config.Hsts is { Preload: true } hsts && (!hsts.IncludeSubDomains || hsts.MaxAge < TimeSpan.FromDays(365)))
        {
            // What hstspreload.org requires before it lists a domain; "preload" without it is a promise not kept.
            reading.Error(reading.Node("hsts.preload"), $"the HSTS preload list requires \"includeSubDomains\": true and a \"maxAge\" of at least 365d; got includeSubDomains {(hsts.IncludeSubDomains ? "true" : "false")}, maxAge {DurationKind.Format(hsts.MaxAge)}");
        }

        // With a shared socket "tls" and https listeners are refused as a whole (SharedSocketRules); the files are not read.
        if (config.FrontEnd == FrontEndMode.SharedSocket)
        {
            return;
        }

        if (config.Tls is { } tls)
        {
            Load(tls, reading);
        }

        if (!reading.Ok("listen"))
        {
            return;
        }

        var https = config.Listeners.Select((listener, i) => (listener, i)).Where(l => l.listener.IsHttps).ToList();
        if (https.Count > 0 && config.Tls is null)
        {
            reading.Error(reading.Node($"listen[{https[0].i}]"), $"{https[0].listener.Url} is an https:// listener, and there is no \"tls\" section with its certificate: add \"tls\": {{\"certificate\": \".../fullchain.pem\", \"key\": \".../privkey.pem\"}}");
        }

        if (https.Count == 0 && reading.IsOn("tls"))
        {
            reading.Error(reading.Where("tls"), "there is no https:// listener in \"listen\" to serve these certificates on; add one (e.g. \"https://0.0.0.0:443\") or remove \"tls\"");
        }

        if (config.RedirectHttpToHttps && https.Count == 0)
        {
            reading.Error(reading.Node("redirectHttpToHttps"), "there is no https:// listener in \"listen\" to redirect to");
        }
        else if (config.RedirectHttpToHttps && !config.Listeners.Any(l => !l.IsHttps && !l.Http2))
        {
            reading.Error(reading.Node("redirectHttpToHttps"), "there is no http:// listener (without \"http2\") in \"listen\" to redirect from");
        }

        if (config.Hsts is not null && https.Count == 0)
        {
            reading.Error(reading.Where("hsts"), "Strict-Transport-Security is sent on HTTPS answers only, and there is no https:// listener in \"listen\"");
        }
    }

    public static IEnumerable<JsonNode> Schema(SchemaDefinitions definitions)
    {
        // One certificate or several, not both.
        yield return ConfigRules.At("tls", JsonNode.Parse("""
            { "if": { "type": "object" }, "then": { "oneOf": [
                { "required": ["certificate", "key"], "not": { "required": ["certificates"] } },
                { "required": ["certificates"], "not": { "anyOf": [{ "required": ["certificate"] }, { "required": ["key"] }] } }] } }
            """)!);

        // Certificates with an https:// listener, and the redirect and HSTS only with one (the default listener is http://).
        yield return JsonNode.Parse($$"""
            {
              "if": { "properties": { "listen": {{ListenSchemas.HasHttps.ToJsonString()}} }, "required": ["listen"] },
              "then": { "required": ["tls"], "properties": { "tls": { "type": "object" } } },
              "else": { "properties": { "tls": { "type": "null" }, "hsts": { "type": "null" }, "redirectHttpToHttps": { "const": false } } }
            }
            """)!;
        yield return JsonNode.Parse($$"""
            {
              "if": { "properties": { "redirectHttpToHttps": { "const": true } }, "required": ["redirectHttpToHttps"] },
              "then": { "anyOf": [{ "not": { "required": ["listen"] } }, { "properties": { "listen": {{ListenSchemas.HasPlainHttp.ToJsonString()}} } }] }
            }
            """)!;
        yield return ConfigRules.At("hsts", JsonNode.Parse($$"""
            {
              "if": { "properties": { "preload": { "const": true } }, "required": ["preload"] },
              "then": { "required": ["includeSubDomains"], "properties": { "includeSubDomains": { "const": true }, "maxAge": {{new DurationKind(TimeSpan.FromDays(365), TimeSpan.FromDays(730)).Schema(definitions).ToJsonString()}} } }
            }
            """)!);
    }

    private static void Load(TlsConfig tls, Reading reading)
    {
        var list = reading.Node("tls.certificates");
        if (!list.IsMissing && (!reading.Node("tls.certificate").IsMissing || !reading.Node("tls.key").IsMissing))
        {
            reading.Error(list, "either \"certificate\" and \"key\" (one certificate) or \"certificates\" (several), not both");
            return;
        }

        if (reading.Ok("tls") && tls.List is null && (tls.Certificate is null || tls.Key is null))
        {
            foreach (var (key, what) in new[] { ("certificate", CertificateWhat), ("key", KeyWhat) }.Where(k => reading.Node($"tls.{k.Item1}").IsMissing))
            {
                reading.Error(reading.Node($"tls.{key}"), $"required: {what}");
            }
        }

        if (!reading.Ok("tls"))
        {
            return;
        }

        for (var i = 0; i < tls.Certificates.Count; i++)
        {
            var prefix = tls.List is null ? "tls" : $"tls.certificates[{i}]";
            var loaded = PemCertificateLoader.Load(tls.Certificates[i], reading.Context.Now);
            using (loaded.Certificate)
            {
                foreach (var warning in loaded.Warnings)
                {
                    reading.Warning(reading.Node($"{prefix}.key"), warning);
                }

                if (loaded.Problem is { } problem)
                {
                    reading.Error(reading.Node(problem.InKeyFile ? $"{prefix}.key" : $"{prefix}.certificate"), problem.Message, ConfigErrorKind.Machine);
                }
            }
        }
    }
}
