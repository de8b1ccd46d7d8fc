using System.Text.Json;
using Cluster.Shared.Tls;

namespace Cluster.Shared.Configuration.Parsing;

/// <summary>
/// "tls": one certificate ({"certificate", "key"}) or several ({"certificates": [...]}); every file is loaded and
/// checked now, so that a bad one stops `start` and `check` (and a reload) with its path, rather than a handshake later.
/// </summary>
internal static class TlsConfigReader
{
    public static readonly string[] TlsKeys = ["certificate", "key", "certificates"];
    public static readonly string[] CertificateKeys = ["certificate", "key"];

    private const string ExpectedPair = "{\"certificate\": \"/etc/letsencrypt/live/example.com/fullchain.pem\", \"key\": \"/etc/letsencrypt/live/example.com/privkey.pem\"}";

    public static TlsConfig? Read(ConfigReader reader, ConfigNode node, string configDirectory, DateTimeOffset now)
    {
        if ((node.IsMissing && !reader.HasOverrideInside(node)) || node.Value?.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var keys = reader.Object(node, TlsKeys);
        var listNode = keys["certificates"];
        var hasPair = !keys["certificate"].IsMissing || !keys["key"].IsMissing;
        var certificates = new List<TlsCertificateFiles>();
        if (!listNode.IsMissing && hasPair)
        {
            reader.Error(listNode, "either \"certificate\" and \"key\" (one certificate) or \"certificates\" (several), not both");
            return null;
        }

        if (listNode.IsMissing)
        {
            if (ReadPair(reader, node, keys, configDirectory, now) is { } only)
            {
                certificates.Add(only);
            }
        }
        else if (listNode.Value!.Value.ValueKind != JsonValueKind.Array || listNode.Value.Value.GetArrayLength() == 0)
        {
            reader.Error(listNode, $"expected an array of at least one {ExpectedPair}, got {JsonDescriptions.Describe(listNode.Value.Value)}");
        }
        else
        {
            var index = 0;
            foreach (var item in listNode.Value.Value.EnumerateArray())
            {
                var itemNode = listNode.Item(index++, item);
                if (ReadPair(reader, itemNode, reader.Object(itemNode, CertificateKeys), configDirectory, now) is { } files)
                {
                    certificates.Add(files);
                }
            }
        }

        return certificates.Count == 0 ? null : new TlsConfig { Certificates = certificates };
    }

    private static TlsCertificateFiles? ReadPair(ConfigReader reader, ConfigNode node, IReadOnlyDictionary<string, ConfigNode> keys, string configDirectory, DateTimeOffset now)
    {
        var certificateText = ReadPath(reader, keys["certificate"], "the certificate and its intermediates, e.g. \"/etc/letsencrypt/live/example.com/fullchain.pem\"");
        var keyText = ReadPath(reader, keys["key"], "its private key, unencrypted, e.g. \"/etc/letsencrypt/live/example.com/privkey.pem\"");
        if (certificateText is null || keyText is null)
        {
            return null;
        }

        var files = new TlsCertificateFiles(Path.GetFullPath(certificateText, configDirectory), Path.GetFullPath(keyText, configDirectory)) { ConfigPath = node.Path };
        var loaded = PemCertificateLoader.Load(files, now);
        using (loaded.Certificate)
        {
            foreach (var warning in loaded.Warnings)
            {
                reader.Warning(keys["key"], warning);
            }

            if (loaded.Problem is { } problem)
            {
                reader.Error(problem.InKeyFile ? keys["key"] : keys["certificate"], problem.Message);
                return null;
            }
        }

        return files;
    }

    private static string? ReadPath(ConfigReader reader, ConfigNode node, string what)
    {
        if (node.IsMissing)
        {
            reader.Error(node, $"required: {what} (a PEM file; relative paths resolve against the config file's folder)");
            return null;
        }

        var text = reader.String(node, $"a file path: {what}");
        if (text is not null && text.Trim().Length == 0)
        {
            reader.Error(node, $"expected a file path: {what}; got an empty string");
            return null;
        }

        return text;
    }
}
