using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Cluster.TestSupport;

namespace Cluster.Functional.Tests;

/// <summary>
/// HTTPS terminated by the front end: certificates from a test CA verified by the client, HTTP/2 by ALPN, SNI,
/// renewal in place while a connection stays open, the redirect to HTTPS, HSTS, X-Forwarded-Proto.
/// </summary>
public sealed class HttpsTests : FunctionalTest
{
    [Test]
    public async Task An_https_request_negotiates_HTTP2_HTTP1_clients_still_work_and_workers_see_https()
    {
        using var site = new TlsSite();
        var serial = site.Certificates.Renew("localhost");
        var config = SupervisorHarness.TestWorkerConfig(workers: 2);
        site.Configure(config, "localhost");
        config["hsts"] = new JsonObject { ["maxAge"] = "1d" };
        var metricsPort = FreePort.Next();
        config["metrics"] = new JsonObject { ["listen"] = $"http://127.0.0.1:{metricsPort}" };
        var supervisor = Start(config);
        await supervisor.WaitForAllWorkersAsync(2);
        var presented = new List<X509Certificate2>();
        using var client = site.Client(presented.Add);

        using var http2 = await client.SendAsync(TlsSite.Get(site.Https("localhost"), HttpVersion.Version20));
        using var http11 = await client.SendAsync(TlsSite.Get(site.Https("localhost"), HttpVersion.Version11));
        using var headers = await client.SendAsync(TlsSite.Get(site.Https("localhost", "/headers"), HttpVersion.Version20));
        var forwarded = JsonNode.Parse(await headers.Content.ReadAsStringAsync())!;
        var cleartext = JsonNode.Parse(await supervisor.Http.GetStringAsync("/headers"))!;
        using var cleartextAnswer = await supervisor.Http.GetAsync("/");

        Assert.That((http2.StatusCode, http2.Version), Is.EqualTo((HttpStatusCode.OK, HttpVersion.Version20)), "HTTP/2 negotiated by ALPN");
        Assert.That((http11.StatusCode, http11.Version), Is.EqualTo((HttpStatusCode.OK, HttpVersion.Version11)));
        Assert.That(presented.Select(c => c.SerialNumber).Distinct(), Is.EqualTo(new[] { serial }), "the certificate the client verified against the test CA");
        Assert.That((string?)forwarded["X-Forwarded-Proto"], Is.EqualTo("https"));
        Assert.That((string?)forwarded["X-Forwarded-Host"], Is.EqualTo($"localhost:{site.HttpsPort}"));
        Assert.That((string?)cleartext["X-Forwarded-Proto"], Is.EqualTo("http"));
        Assert.That(http2.Headers.GetValues("Strict-Transport-Security"), Is.EqualTo(new[] { "max-age=86400" }));
        Assert.That(cleartextAnswer.Headers.Contains("Strict-Transport-Security"), Is.False, "never over cleartext");
        Assert.That(supervisor.Process.Output, Does.Contain($"TLS (start): serving certificate 0: CN=localhost for localhost, serial {serial}"));
        Assert.That(supervisor.Process.Output, Does.Contain($"front end listening on {site.HttpUrl}, https://127.0.0.1:{site.HttpsPort}"));

        var status = await supervisor.StatusAsync();
        var listeners = status["supervisor"]!["listeners"]!.AsArray().Select(l => (string?)l!["url"]);
        Assert.That(listeners, Is.EqualTo(new[] { site.HttpUrl, $"https://127.0.0.1:{site.HttpsPort}" }));
        Assert.That((string?)status["supervisor"]!["certificates"]![0]!["serialNumber"], Is.EqualTo(serial));
        var (_, text) = await supervisor.CommandAsync("status");
        Assert.That(text, Does.Contain($"listening on {site.HttpUrl}, https://127.0.0.1:{site.HttpsPort}").And.Contain($"tls localhost: serial {serial}, expires"));
        var (checkCode, check) = await supervisor.CommandAsync("check");
        Assert.That(checkCode, Is.EqualTo(0), check);
        Assert.That(check, Does.Contain($"tls certificate 0 (the default): CN=localhost for localhost, serial {serial}").And.Contain("Strict-Transport-Security: max-age=86400"));
        using var metrics = new HttpClient { Timeout = SupervisorHarness.Patience };
        var scrape = await metrics.GetStringAsync($"http://127.0.0.1:{metricsPort}/metrics");
        Assert.That(scrape, Does.Match(@"cluster_tls_certificate_expiry_timestamp_seconds\{names=""localhost""\} \d{10}"));
        var twoHundreds = System.Text.RegularExpressions.Regex.Match(scrape, @"cluster_frontend_requests_total\{code=""2xx""\} (\d+)");
        Assert.That(int.Parse(twoHundreds.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(5), "HTTP/2 and HTTPS requests are counted like the others");
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task Two_names_on_one_listener_get_their_own_certificates_by_SNI()
    {
        using var site = new TlsSite();
        var first = site.Certificates.Renew("a.example.test", ["a.example.test", "www.a.example.test"]);
        var second = site.Certificates.Renew("b.example.test", ["b.example.test", "*.b.example.test"]);
        var config = SupervisorHarness.TestWorkerConfig(workers: 1);
        site.Configure(config, "a.example.test", "b.example.test");
        var supervisor = Start(config);
        await supervisor.WaitForAllWorkersAsync(1);

        Assert.That(await site.SerialOnANewConnectionAsync("a.example.test"), Is.EqualTo(first));
        Assert.That(await site.SerialOnANewConnectionAsync("www.a.example.test"), Is.EqualTo(first));
        Assert.That(await site.SerialOnANewConnectionAsync("b.example.test"), Is.EqualTo(second));
        Assert.That(await site.SerialOnANewConnectionAsync("api.b.example.test"), Is.EqualTo(second), "the wildcard");
        Assert.That(await SerialWithoutSniAsync(site), Is.EqualTo(first), "no SNI: the first certificate");
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task A_renewal_by_symlink_swap_is_served_to_new_connections_while_an_open_one_keeps_working()
    {
        using var site = new TlsSite();
        var first = site.Certificates.Renew("localhost");
        var config = SupervisorHarness.TestWorkerConfig(workers: 2);
        site.Configure(config, "localhost");
        var supervisor = Start(config);
        await supervisor.WaitForAllWorkersAsync(2);
        var handshakes = new List<string>();
        using var keepAlive = site.Client(certificate => handshakes.Add(certificate.SerialNumber));
        using (var before = await keepAlive.SendAsync(TlsSite.Get(site.Https("localhost"), HttpVersion.Version11)))
        {
            Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var renewed = site.Certificates.Renew("localhost");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string? seen = null;
        Assert.That(await Eventually.TrueAsync(async () => (seen = await site.SerialOnANewConnectionAsync("localhost")) == renewed, SupervisorHarness.Patience, TimeSpan.FromMilliseconds(250)), Is.True, $"new connections still got {seen}:\n{supervisor.Process.Output}");
        TestContext.Progress.WriteLine($"renewal served to new connections after {clock.Elapsed.TotalSeconds:F1} s");

        using (var after = await keepAlive.SendAsync(TlsSite.Get(site.Https("localhost"), HttpVersion.Version11)))
        {
            Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the open connection still works");
        }

        Assert.That(handshakes, Is.EqualTo(new[] { first }), "one handshake: the open connection was not replaced, and kept its certificate");
        await supervisor.Process.WaitForLineAsync($@"TLS \(the files changed\): serving certificate 0: CN=localhost for localhost, serial {renewed}", SupervisorHarness.Patience);

        // A broken replacement: a new certificate with the previous key.
        var (broken, _) = site.Certificates.Issue("localhost");
        site.Certificates.Link("localhost", "fullchain", broken);
        await supervisor.Process.WaitForLineAsync("TLS \\(the files changed\\): refused the new certificate 0: .*the private key does not match", SupervisorHarness.Patience);
        Assert.That(supervisor.Process.Output, Does.Contain($"{site.Certificates.KeyPath("localhost")}: the private key does not match the certificate in {site.Certificates.CertificatePath("localhost")}"));
        Assert.That(await site.SerialOnANewConnectionAsync("localhost"), Is.EqualTo(renewed), "the certificate in use stays");

        // SIGHUP reads the files too: refused while they are broken, served once they are fixed.
        supervisor.Process.Signal(Posix.SIGHUP);
        await supervisor.Process.WaitForLineAsync("config reload \\(SIGHUP\\) rejected.*the private key does not match", SupervisorHarness.Patience);
        var fixedSerial = site.Certificates.Renew("localhost");
        supervisor.Process.Signal(Posix.SIGHUP);
        await supervisor.Process.WaitForLineAsync($"TLS \\((config reload|the files changed)\\): serving certificate 0: .*serial {fixedSerial}", SupervisorHarness.Patience);
        Assert.That(await site.SerialOnANewConnectionAsync("localhost"), Is.EqualTo(fixedSerial));
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task Http_requests_are_redirected_to_https_except_the_health_path_and_acme_challenges()
    {
        using var site = new TlsSite();
        site.Certificates.Renew("localhost");
        var config = SupervisorHarness.TestWorkerConfig(workers: 1);
        site.Configure(config, "localhost");
        config["redirectHttpToHttps"] = true;
        config["loadBalancerHealth"] = new JsonObject { ["path"] = "/_cluster/health" };
        var supervisor = Start(config);
        await supervisor.WaitForReadyAsync(1);
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false }) { BaseAddress = new Uri(site.HttpUrl) };

        using var get = new HttpRequestMessage(HttpMethod.Get, "/users/7?sort=name&page=2");
        get.Headers.Host = $"example.test:{site.HttpPort}";
        using var redirected = await http.SendAsync(get);
        using var post = await http.PostAsync("/orders", new StringContent("{}"));
        using var health = await http.GetAsync("/_cluster/health");
        using var acme = await http.GetAsync("/.well-known/acme-challenge/token123");
        using var client = site.Client();
        using var https = await client.SendAsync(TlsSite.Get(site.Https("localhost"), HttpVersion.Version20));

        Assert.That(redirected.StatusCode, Is.EqualTo(HttpStatusCode.PermanentRedirect));
        Assert.That(redirected.Headers.Location, Is.EqualTo(new Uri($"https://example.test:{site.HttpsPort}/users/7?sort=name&page=2")));
        Assert.That((post.StatusCode, post.Headers.Location?.ToString()), Is.EqualTo((HttpStatusCode.PermanentRedirect, $"https://127.0.0.1:{site.HttpsPort}/orders")));
        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the balancer's health probe is answered, not redirected");
        Assert.That((acme.StatusCode, await acme.Content.ReadAsStringAsync()), Is.EqualTo((HttpStatusCode.OK, "token123.worker0")), "the ACME challenge reached the worker");
        Assert.That(https.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    /// <summary>A handshake that sends no server name (as to an IP address); the presented certificate's serial, checked against the CA.</summary>
    private static async Task<string> SerialWithoutSniAsync(TlsSite site)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, site.HttpsPort);
        await using var tls = new SslStream(tcp.GetStream());
        X509Certificate2? presented = null;
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            // An IP address as the target host: no SNI is sent. The name cannot match; the chain must.
            TargetHost = "127.0.0.1",
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                presented = certificate as X509Certificate2;
                return presented is not null && site.Certificates.Authority.Issued(presented);
            },
        });
        return presented!.SerialNumber;
    }
}
