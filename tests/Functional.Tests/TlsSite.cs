using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Cluster.TestSupport;

namespace Cluster.Functional.Tests;

/// <summary>
/// A test site served over HTTPS: its certificates in a certbot folder (<see cref="Certificates"/>), the free ports of
/// its http:// and https:// listeners, the listen and tls settings for a supervisor that serves them, and clients that
/// trust only the test CA.
/// </summary>
internal sealed class TlsSite : IDisposable
{
    public CertbotFolder Certificates { get; } = new();

    public int HttpPort { get; } = FreePort.Next();

    public int HttpsPort { get; } = FreePort.Next();

    public string HttpUrl => $"http://127.0.0.1:{HttpPort}";

    /// <summary>Listeners on both ports and the certificates of <paramref name="names"/> (the first is the default).</summary>
    public void Configure(JsonObject config, params string[] names)
    {
        config["listen"] = new JsonArray(HttpUrl, $"https://127.0.0.1:{HttpsPort}");
        config["tls"] = names.Length == 1
            ? Files(names[0])
            : new JsonObject { ["certificates"] = new JsonArray([.. names.Select(n => (JsonNode)Files(n))]) };
    }

    public Uri Https(string host, string path = "/") => new($"https://{host}:{HttpsPort}{path}");

    /// <summary>A client that trusts only the test CA; <paramref name="presented"/> hears of every handshake's certificate.</summary>
    public HttpClient Client(Action<X509Certificate2>? presented = null, bool pooled = true) => Certificates.Authority.CreateClient(presented, pooled);

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

    public void Dispose() => Certificates.Dispose();

    private JsonObject Files(string name) => new() { ["certificate"] = Certificates.CertificatePath(name), ["key"] = Certificates.KeyPath(name) };
}
