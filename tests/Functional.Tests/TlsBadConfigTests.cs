using System.Text.Json.Nodes;
using Cluster.TestSupport;

namespace Cluster.Functional.Tests;

/// <summary>Every bad HTTPS input at start: exit 2 naming its JSON path and the file, nothing started.</summary>
public sealed class TlsBadConfigTests : FunctionalTest
{
    public enum Problem
    {
        MissingFile,
        KeyOfAnotherCertificate,
        EncryptedKey,
        NotValidYet,
        HttpsWithoutTls,
        TlsWithoutHttps,
        Http2OnHttps,
    }

    [TestCase(Problem.MissingFile, "$.tls.certificate: {certificate}: file not found")]
    [TestCase(Problem.KeyOfAnotherCertificate, "$.tls.key: {other}: the private key does not match the certificate in {certificate}")]
    [TestCase(Problem.EncryptedKey, "$.tls.key: {key}: the private key is encrypted")]
    [TestCase(Problem.NotValidYet, "$.tls.certificate: {certificate}: the certificate (CN=localhost) is not valid yet")]
    [TestCase(Problem.HttpsWithoutTls, "$.listen[1]: https://127.0.0.1:")]
    [TestCase(Problem.TlsWithoutHttps, "$.tls: there is no https:// listener in \"listen\"")]
    [TestCase(Problem.Http2OnHttps, "$.listen[1].http2: https:// listeners always offer HTTP/2")]
    public async Task A_bad_https_input_exits_2_naming_its_path_and_file_and_starts_nothing(Problem problem, string message)
    {
        var folder = TempFolder("badtls");
        using var site = new TlsSite();
        var config = SupervisorHarness.TestWorkerConfig(workers: 1);
        site.Configure(config, "localhost");
        var other = Path.Combine(folder, "other", "privkey.pem");
        switch (problem)
        {
            case Problem.MissingFile:
                break;
            case Problem.KeyOfAnotherCertificate:
                site.Certificates.Renew("localhost");
                site.Certificates.Authority.WritePem(Path.Combine(folder, "other", "fullchain.pem"), other, ["other.test"]);
                config["tls"]!["key"] = other;
                break;
            case Problem.EncryptedKey:
                site.Certificates.Authority.WritePem(site.Certificates.CertificatePath("localhost"), site.Certificates.KeyPath("localhost"), ["localhost"], keyPassword: "secret");
                break;
            case Problem.NotValidYet:
                site.Certificates.Authority.WritePem(site.Certificates.CertificatePath("localhost"), site.Certificates.KeyPath("localhost"), ["localhost"], notBefore: DateTimeOffset.UtcNow.AddDays(1), notAfter: DateTimeOffset.UtcNow.AddDays(30));
                break;
            case Problem.HttpsWithoutTls:
                config.Remove("tls");
                break;
            case Problem.TlsWithoutHttps:
                site.Certificates.Renew("localhost");
                config["listen"] = site.HttpUrl;
                break;
            case Problem.Http2OnHttps:
                site.Certificates.Renew("localhost");
                config["listen"] = new JsonArray(site.HttpUrl, new JsonObject { ["url"] = $"https://127.0.0.1:{site.HttpsPort}", ["http2"] = true });
                break;
        }

        var path = Path.Combine(folder, "supervisor.json");
        config["pidFile"] = Path.Combine(folder, "supervisor.pids.json");
        config["control"] = new JsonObject { ["socket"] = Path.Combine(folder, "control.sock") };
        await ConfigFiles.WriteAsync(path, config.ToJsonString());
        var supervisor = Track(SupervisorHarness.StartWith(["start", "--config", path], folder, site.HttpPort));

        Assert.That(await supervisor.Process.WaitForExitAsync(SupervisorHarness.Patience), Is.True);
        Assert.That(supervisor.Process.ExitCode, Is.EqualTo(2), supervisor.Process.Output);
        var expected = message.Replace("{certificate}", site.Certificates.CertificatePath("localhost"), StringComparison.Ordinal)
            .Replace("{key}", site.Certificates.KeyPath("localhost"), StringComparison.Ordinal)
            .Replace("{other}", other, StringComparison.Ordinal);
        Assert.That(supervisor.Process.Output, Does.Contain(expected));
        Assert.That(supervisor.Process.Output, Does.Contain(path));
        Assert.That(supervisor.WorkerPids(), Is.Empty);
        Assert.That(supervisor.Process.Output, Does.Not.Contain("front end listening"));
        Assert.That(File.Exists(Path.Combine(folder, "supervisor.pids.json")), Is.False, "nothing started");
    }

    [Test]
    public async Task A_private_key_readable_by_everyone_is_a_warning_and_the_supervisor_starts()
    {
        using var site = new TlsSite();
        site.Certificates.Renew("localhost");
        File.SetUnixFileMode(site.Certificates.Archive("localhost", "privkey", 1), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var config = SupervisorHarness.TestWorkerConfig(workers: 1);
        site.Configure(config, "localhost");

        var supervisor = Start(config);
        await supervisor.WaitForReadyAsync(1);

        Assert.That(supervisor.Process.Output, Does.Contain($"supervisor: warning: $.tls.key: {site.Certificates.KeyPath("localhost")}: the private key is readable by every user on this machine (mode 0604)"));
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }
}
