using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Cluster.TestSupport;

namespace Cluster.Functional.Tests;

/// <summary>
/// A test CA and certificates laid out as certbot does (archive/NAME/fullchainN.pem, privkeyN.pem; live/NAME/*.pem
/// symlinks to the current ones), and the listen and tls settings for a supervisor that serves them.
/// </summary>
internal sealed class TlsSite : IDisposable
{
    private readonly Dictionary<string, int> _versions = [];

    public TlsSite(string folder)
    {
        Folder = folder;
    }

    public TestCertificateAuthority Authority { get; } = new();

    public string Folder { get; }

    public int HttpPort { get; } = FreePort.Next();

    public int HttpsPort { get; } = FreePort.Next();

    public string HttpUrl => $"http://127.0.0.1:{HttpPort}";

    public string CertificatePath(string name) => Path.Combine(Folder, "live", name, "fullchain.pem");

    public string KeyPath(string name) => Path.Combine(Folder, "live", name, "privkey.pem");

    /// <summary>Issues version N+1 for <paramref name="name"/> into archive/ (not linked yet); returns its version and serial.</summary>
    public (int Version, string Serial) Issue(string name, string[]? names = null)
    {
        var version = _versions[name] = _versions.GetValueOrDefault(name) + 1;
        var serial = Authority.WritePem(Archive(name, "fullchain", version), Archive(name, "privkey", version), names ?? [name]);
        return (version, serial);
    }

    /// <summary>A new certificate for <paramref name="name"/>, both live symlinks re-pointed to it (certbot's renewal); its serial.</summary>
    public string Renew(string name, string[]? names = null)
    {
        var (version, serial) = Issue(name, names);
        Link(name, "fullchain", version);
        Link(name, "privkey", version);
        return serial;
    }

    /// <summary>Re-points live/NAME/FILE.pem at archive version N: a new symlink renamed over the old one, atomically.</summary>
    public void Link(string name, string file, int version)
    {
        var live = Path.Combine(Folder, "live", name, $"{file}.pem");
        Directory.CreateDirectory(Path.GetDirectoryName(live)!);
        var temporary = live + ".new";
        File.CreateSymbolicLink(temporary, $"../../archive/{name}/{file}{version}.pem");
        File.Move(temporary, live, overwrite: true);
    }

    /// <summary>Listeners on both ports and the certificates of <paramref name="names"/> (the first is the default).</summary>
    public void Configure(JsonObject config, params string[] names)
    {
        config["listen"] = new JsonArray(HttpUrl, $"https://127.0.0.1:{HttpsPort}");
        config["tls"] = names.Length == 1
            ? new JsonObject { ["certificate"] = CertificatePath(names[0]), ["key"] = KeyPath(names[0]) }
            : new JsonObject { ["certificates"] = new JsonArray([.. names.Select(n => (JsonNode)new JsonObject { ["certificate"] = CertificatePath(n), ["key"] = KeyPath(n) })]) };
    }

    public Uri Https(string host, string path = "/") => new($"https://{host}:{HttpsPort}{path}");

    /// <summary>A client that trusts only the test CA; <paramref name="presented"/> hears of every handshake's certificate.</summary>
    public HttpClient Client(Action<X509Certificate2>? presented = null, bool pooled = true) => Authority.CreateClient(presented, pooled);

    public static HttpRequestMessage Get(Uri uri, Version version) =>
        new(HttpMethod.Get, uri) { Version = version, VersionPolicy = HttpVersionPolicy.RequestVersionExact };

    /// <summary>GET over a new connection; the serial of the certificate the handshake got.</summary>
    public async Task<string> SerialOnANewConnectionAsync(string host)
    {
        string? serial = null;
        using var client = Client(presented: certificate => serial = certificate.SerialNumber, pooled: false);
        using var response = await client.SendAsync(Get(Https(host), HttpVersion.Version20));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return serial!;
    }

    private string Archive(string name, string file, int version) => Path.Combine(Folder, "archive", name, $"{file}{version}.pem");

    public void Dispose() => Authority.Dispose();
}
