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

    public const string CertificateWhat = $"{CertificateFile} {PemNote}";

    public const string KeyWhat = $"{KeyFile} {PemNote}";

    public const string ExpectedPair = "{\"certificate\": \"/etc/letsencrypt/live/example.com/fullchain.pem\", \"key\": \"/etc/letsencrypt/live/example.com/privkey.pem\"}";

    private const string PemNote = "(a PEM file; relative paths resolve against the config file's folder)";

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

    public static IEnumerable<JsonObject> Schema(SchemaDefinitions definitions)
    {
        JsonObject Has(params string[] keys) => new() { ["required"] = new JsonArray([.. keys.Select(k => (JsonNode)k)]) };

        // One certificate or several, not both.
        yield return ConfigRules.At("tls", new JsonObject
        {
            ["if"] = new JsonObject { ["type"] = "object" },
            ["then"] = new JsonObject
            {
                ["oneOf"] = new JsonArray(
                    new JsonObject { ["allOf"] = new JsonArray(Has("certificate"), Has("key")), ["not"] = Has("certificates") },
                    new JsonObject { ["allOf"] = new JsonArray(Has("certificates")), ["not"] = new JsonObject { ["anyOf"] = new JsonArray(Has("certificate"), Has("key")) } }),
            },
        });

        var hasHttps = new JsonObject { ["properties"] = new JsonObject { ["listen"] = ListenSchemas.HasHttps }, ["required"] = new JsonArray("listen") };
        yield return new JsonObject
        {
            ["if"] = hasHttps,
            ["then"] = new JsonObject { ["required"] = new JsonArray("tls"), ["properties"] = new JsonObject { ["tls"] = new JsonObject { ["type"] = "object" } } },
            ["else"] = new JsonObject
            {
                ["properties"] = new JsonObject
                {
                    ["tls"] = new JsonObject { ["type"] = "null" },
                    ["hsts"] = new JsonObject { ["type"] = "null" },
                    ["redirectHttpToHttps"] = new JsonObject { ["const"] = false },
                },
            },
        };

        // A redirect needs somewhere to redirect from (the default listener is one).
        yield return new JsonObject
        {
            ["if"] = ConfigRules.Is("redirectHttpToHttps", true),
            ["then"] = new JsonObject { ["anyOf"] = new JsonArray(new JsonObject { ["not"] = new JsonObject { ["required"] = new JsonArray("listen") } }, new JsonObject { ["properties"] = new JsonObject { ["listen"] = ListenSchemas.HasPlainHttp } }) },
        };

        yield return ConfigRules.At("hsts", new JsonObject
        {
            ["if"] = ConfigRules.Is("preload", true),
            ["then"] = new JsonObject
            {
                ["required"] = new JsonArray("includeSubDomains"),
                ["properties"] = new JsonObject
                {
                    ["includeSubDomains"] = new JsonObject { ["const"] = true },
                    ["maxAge"] = new DurationKind(TimeSpan.FromDays(365), TimeSpan.FromDays(730)).Schema(definitions),
                },
            },
        });
    }

    private static void Load(TlsConfig tls, Reading reading)
    {
        var list = reading.Node("tls.certificates");
        if (!list.IsMissing && (!reading.Node("tls.certificate").IsMissing || !reading.Node("tls.key").IsMissing))
        {
            reading.Error(list, "either \"certificate\" and \"key\" (one certificate) or \"certificates\" (several), not both");
            return;
        }

        if (!reading.Ok("tls"))
        {
            return;
        }

        if (tls.List is null && (tls.Certificate is null || tls.Key is null))
        {
            foreach (var (key, what) in new[] { ("certificate", CertificateWhat), ("key", KeyWhat) }.Where(k => reading.Node($"tls.{k.Item1}").IsMissing))
            {
                reading.Error(reading.Node($"tls.{key}"), $"required: {what}");
            }

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
