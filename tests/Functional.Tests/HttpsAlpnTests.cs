using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Cluster.Functional.Tests;

/// <summary>
/// HTTPS clients whose ALPN list holds nothing the front end speaks (curl -0 offers only http/1.0) get the handshake
/// without ALPN and are served HTTP/1.x, as over plain HTTP; h2 and http/1.1 are negotiated as before.
/// </summary>
public sealed class HttpsAlpnTests : FunctionalTest
{
    private static readonly SslApplicationProtocol Http10 = new("http/1.0");

    [Test]
    public async Task A_client_offering_only_unknown_ALPN_protocols_is_served_without_ALPN_and_h2_and_http11_still_negotiate()
    {
        using var site = new TlsSite();
        site.Certificates.Renew("localhost");
        var config = SupervisorHarness.TestWorkerConfig(workers: 1);
        site.Configure(config, "localhost");
        var supervisor = Start(config);
        await supervisor.WaitForAllWorkersAsync(1);

        var http10 = await RawRequestAsync(site, [Http10], "GET / HTTP/1.0\r\nHost: localhost\r\n\r\n");
        var unknown = await RawRequestAsync(site, [new SslApplicationProtocol("spdy/3"), new SslApplicationProtocol("x-unknown")], "GET /headers HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        var h2 = await RawRequestAsync(site, [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11], request: null);
        var http11 = await RawRequestAsync(site, [Http10, SslApplicationProtocol.Http11], "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        Assert.That(http10.Protocol, Is.EqualTo(default(SslApplicationProtocol)), "no ALPN in the handshake");
        Assert.That(http10.Answer, Does.Match(@"^HTTP/1\.[01] 200 ").And.Contain("\"id\":0"), "HTTP/1.0 over TLS is served like over plain HTTP");
        Assert.That(unknown.Protocol, Is.EqualTo(default(SslApplicationProtocol)));
        Assert.That(unknown.Answer, Does.StartWith("HTTP/1.1 200 ").And.Contain("\"X-Forwarded-Proto\":\"https\""));
        Assert.That(h2.Protocol, Is.EqualTo(SslApplicationProtocol.Http2), "h2 still negotiated");
        Assert.That(http11.Protocol, Is.EqualTo(SslApplicationProtocol.Http11), "http/1.1 chosen among the client's offers");
        Assert.That(http11.Answer, Does.StartWith("HTTP/1.1 200 "));

        Assume.That(File.Exists("/usr/bin/curl"), Is.True, "needs curl");
        var authority = Path.Combine(TempFolder("ca"), "test-ca.pem");
        await File.WriteAllTextAsync(authority, site.Certificates.Authority.Certificate.ExportCertificatePem());
        var curl = await RunAsync(
            "curl",
            ["-0", "-sS", "--cacert", authority, "--resolve", $"localhost:{site.HttpsPort}:127.0.0.1", "-w", "\n%{http_code} %{http_version}", site.Https("localhost").ToString()],
            SupervisorHarness.Patience);
        Assert.That(curl.ExitCode, Is.EqualTo(0), curl.Output);
        Assert.That(curl.StandardOutput[^1], Does.StartWith("200 "), curl.Output);
        Assert.That(curl.Output, Does.Contain("\"id\":0"));
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    /// <summary>A TLS connection offering <paramref name="protocols"/> (checked against the test CA); the protocol the server chose, and the answer to <paramref name="request"/>.</summary>
    private static async Task<(SslApplicationProtocol Protocol, string Answer)> RawRequestAsync(TlsSite site, List<SslApplicationProtocol> protocols, string? request)
    {
        using var timeout = new CancellationTokenSource(SupervisorHarness.Patience);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(System.Net.IPAddress.Loopback, site.HttpsPort, timeout.Token);
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(
            new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                ApplicationProtocols = protocols,
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                    certificate is X509Certificate2 presented && site.Certificates.Authority.Issued(presented, chain?.ChainPolicy.ExtraStore),
            },
            timeout.Token);
        if (request is null)
        {
            return (tls.NegotiatedApplicationProtocol, string.Empty);
        }

        await tls.WriteAsync(Encoding.ASCII.GetBytes(request), timeout.Token);
        using var reader = new StreamReader(tls, Encoding.UTF8);
        return (tls.NegotiatedApplicationProtocol, await reader.ReadToEndAsync(timeout.Token));
    }
}
