using Cluster.Shared.Configuration;
using Cluster.TestSupport;

namespace Cluster.Supervisor.Tests.Configuration;

/// <summary>"tls", "redirectHttpToHttps" and "hsts": the files checked at load, every bad input named by its path and file.</summary>
public sealed class TlsConfigTests : ConfigTestBase
{
    private const string Worker = "\"worker\": { \"command\": \"server\" }";
    private const string Listen = "\"listen\": [\"http://0.0.0.0:8080\", \"https://0.0.0.0:8443\"]";

    private TestCertificateAuthority _ca = null!;

    [SetUp]
    public void CreateAuthority() => _ca = new TestCertificateAuthority();

    [TearDown]
    public void DisposeAuthority() => _ca.Dispose();

    private string CertificatePath => Path.Combine(Fixture.Folder, "live", "fullchain.pem");

    private string KeyPath => Path.Combine(Fixture.Folder, "live", "privkey.pem");

    [Test]
    public void One_certificate_with_paths_relative_to_the_config_file()
    {
        _ca.WritePem(CertificatePath, KeyPath, ["example.test"]);

        var config = Fixture.LoadValid($$"""{ {{Listen}}, "tls": { "certificate": "live/fullchain.pem", "key": "live/privkey.pem" }, {{Worker}} }""");

        Assert.That(config.Tls!.Certificates, Is.EqualTo(new[] { new TlsCertificateFiles(CertificatePath, KeyPath) }));
        Assert.That(config.Tls.Certificates[0].ConfigPath, Is.EqualTo("$.tls"));
    }

    [Test]
    public void Several_certificates_keep_their_order_and_paths()
    {
        _ca.WritePem(CertificatePath, KeyPath, ["example.test"]);
        _ca.WritePem(Path.Combine(Fixture.Folder, "b.pem"), Path.Combine(Fixture.Folder, "b.key"), ["*.other.test"], rsa: true);

        var config = Fixture.LoadValid($$"""{ {{Listen}}, "tls": { "certificates": [ { "certificate": "live/fullchain.pem", "key": "live/privkey.pem" }, { "certificate": "b.pem", "key": "b.key" } ] }, {{Worker}} }""");

        Assert.That(config.Tls!.Certificates.Select(c => (Path.GetFileName(c.Certificate), c.ConfigPath)), Is.EqualTo(new[] { ("fullchain.pem", "$.tls.certificates[0]"), ("b.pem", "$.tls.certificates[1]") }));
    }

    [Test]
    public void A_missing_file_is_named_with_its_path()
    {
        var error = Fixture.OnlyError($$"""{ {{Listen}}, "tls": { "certificate": "live/fullchain.pem", "key": "live/privkey.pem" }, {{Worker}} }""");

        Assert.That(error, Is.EqualTo($"$.tls.certificate: {CertificatePath}: file not found"));
    }

    [Test]
    public void A_key_of_another_certificate_is_refused_naming_both_files()
    {
        _ca.WritePem(CertificatePath, KeyPath, ["example.test"]);
        _ca.WritePem(Path.Combine(Fixture.Folder, "other.pem"), Path.Combine(Fixture.Folder, "other.key"), ["other.test"]);

        var error = Fixture.OnlyError($$"""{ {{Listen}}, "tls": { "certificate": "live/fullchain.pem", "key": "other.key" }, {{Worker}} }""");

        Assert.That(error, Does.StartWith($"$.tls.key: {Path.Combine(Fixture.Folder, "other.key")}: the private key does not match the certificate in {CertificatePath}"));
    }

    [Test]
    public void A_key_of_another_type_is_a_mismatch_too()
    {
        _ca.WritePem(CertificatePath, KeyPath, ["example.test"], rsa: true);
        _ca.WritePem(Path.Combine(Fixture.Folder, "ec.pem"), Path.Combine(Fixture.Folder, "ec.key"), ["other.test"]);

        Assert.That(Fixture.OnlyError($$"""{ {{Listen}}, "tls": { "certificate": "live/fullchain.pem", "key": "ec.key" }, {{Worker}} }"""), Does.Contain("the private key does not match the certificate"));
    }

    [Test]
    public void An_encrypted_key_is_refused()
    {
        _ca.WritePem(CertificatePath, KeyPath, ["example.test"], keyPassword: "secret");

        var error = Fixture.OnlyError($$"""{ {{Listen}}, "tls": { "certificate": "live/fullchain.pem", "key": "live/privkey.pem" }, {{Worker}} }""");

        Assert.That(error, Does.StartWith($"$.tls.key: {KeyPath}: the private key is encrypted (it has a passphrase)"));
    }

    [Test]
    public void A_certificate_not_valid_yet_is_refused()
    {
        _ca.WritePem(CertificatePath, KeyPath, ["example.test"], notBefore: DateTimeOffset.UtcNow.AddDays(2), notAfter: DateTimeOffset.UtcNow.AddDays(90));

        var error = Fixture.OnlyError($$"""{ {{Listen}}, "tls": { "certificate": "live/fullchain.pem", "key": "live/privkey.pem" }, {{Worker}} }""");

        Assert.That(error, Does.StartWith($"$.tls.certificate: {CertificatePath}: the certificate (CN=example.test) is not valid yet: valid from"));
    }

    [Test]
    public void A_certificate_for_clients_only_is_refused()
    {
        _ca.WritePem(CertificatePath, KeyPath, ["example.test"], serverAuth: false);

        Assert.That(Fixture.OnlyError($$"""{ {{Listen}}, "tls": { "certificate": "live/fullchain.pem", "key": "live/privkey.pem" }, {{Worker}} }"""), Does.Contain("is not for TLS servers: its extended key usage lacks serverAuth"));
    }

    [Test]
    public void Files_that_are_not_pem_are_refused()
    {
        _ca.WritePem(CertificatePath, KeyPath, ["example.test"]);
        File.WriteAllText(Path.Combine(Fixture.Folder, "empty.pem"), "not a certificate\n");

        var noCertificate = Fixture.OnlyError($$"""{ {{Listen}}, "tls": { "certificate": "empty.pem", "key": "live/privkey.pem" }, {{Worker}} }""");
        var noKey = Fixture.OnlyError($$"""{ {{Listen}}, "tls": { "certificate": "live/fullchain.pem", "key": "live/fullchain.pem" }, {{Worker}} }""");

        Assert.That(noCertificate, Does.StartWith($"$.tls.certificate: {Path.Combine(Fixture.Folder, "empty.pem")}: no PEM certificate in it"));
        Assert.That(noKey, Does.StartWith($"$.tls.key: {CertificatePath}: no PEM private key in it"));
    }

    [Test]
    public void A_key_readable_by_everyone_is_a_warning_as_ssh_gives()
    {
        _ca.WritePem(CertificatePath, KeyPath, ["example.test"]);
        File.SetUnixFileMode(KeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var result = Fixture.Load($$"""{ {{Listen}}, "tls": { "certificate": "live/fullchain.pem", "key": "live/privkey.pem" }, {{Worker}} }""");

        Assert.That(result.IsValid, Is.True);
        Assert.That(result.Warnings.Single(), Is.EqualTo($"$.tls.key: {KeyPath}: the private key is readable by every user on this machine (mode 0644); make it readable only by the supervisor's user or group (chmod 600 or 640)"));
    }

    [Test]
    public void A_certificate_behind_a_symlink_is_read_through_it()
    {
        // certbot: live/example.test/fullchain.pem -> ../../archive/example.test/fullchain1.pem
        _ca.WritePem(Path.Combine(Fixture.Folder, "archive", "fullchain1.pem"), Path.Combine(Fixture.Folder, "archive", "privkey1.pem"), ["example.test"]);
        Directory.CreateDirectory(Path.Combine(Fixture.Folder, "live"));
        File.CreateSymbolicLink(CertificatePath, "../archive/fullchain1.pem");
        File.CreateSymbolicLink(KeyPath, "../archive/privkey1.pem");

        var result = Fixture.Load($$"""{ {{Listen}}, "tls": { "certificate": "live/fullchain.pem", "key": "live/privkey.pem" }, {{Worker}} }""");

        Assert.That((result.IsValid, result.Warnings.Count), Is.EqualTo((true, 0)), "the key's own mode (0600) counts, not the symlink's");
    }

    [TestCase("""{ "certificate": "a.pem" }""", "$.tls.key: required")]
    [TestCase("""{ "key": "a.key" }""", "$.tls.certificate: required")]
    [TestCase("""{ }""", "$.tls.certificate: required")]
    [TestCase("""{ "certificate": "a.pem", "key": "a.key", "certificates": [] }""", "$.tls.certificates: either \"certificate\" and \"key\" (one certificate) or \"certificates\" (several), not both")]
    [TestCase("""{ "certificates": [] }""", "$.tls.certificates: expected an array of at least one")]
    [TestCase("""{ "certificates": [{ "certificate": "a.pem", "kee": "a.key" }] }""", "$.tls.certificates[0].kee: unknown key (did you mean \"key\"?)")]
    [TestCase("""{ "cert": "a.pem" }""", "$.tls.cert: unknown key")]
    [TestCase("\"fullchain.pem\"", "$.tls: expected an object")]
    public void A_malformed_tls_section_is_named_by_its_path(string tls, string error)
    {
        var result = Fixture.Load($$"""{ {{Listen}}, "tls": {{tls}}, {{Worker}} }""");

        Assert.That(result.Errors.Select(e => e.ToString()), Has.Some.StartsWith(error));
    }

    [Test]
    public void Tls_without_an_https_listener_is_an_error()
    {
        _ca.WritePem(CertificatePath, KeyPath, ["example.test"]);

        var error = Fixture.OnlyError($$"""{ "listen": "http://0.0.0.0:8080", "tls": { "certificate": "live/fullchain.pem", "key": "live/privkey.pem" }, {{Worker}} }""");

        Assert.That(error, Does.StartWith("$.tls: there is no https:// listener in \"listen\""));
    }

    [Test]
    public void The_redirect_needs_both_kinds_of_listener_and_hsts_an_https_one()
    {
        _ca.WritePem(CertificatePath, KeyPath, ["example.test"]);
        const string Tls = "\"tls\": { \"certificate\": \"live/fullchain.pem\", \"key\": \"live/privkey.pem\" }";

        Assert.That(Fixture.OnlyError($$"""{ "listen": "http://0.0.0.0:8080", "redirectHttpToHttps": true, {{Worker}} }"""), Is.EqualTo("$.redirectHttpToHttps: there is no https:// listener in \"listen\" to redirect to"));
        Assert.That(Fixture.OnlyError($$"""{ "listen": ["https://0.0.0.0:8443", { "url": "http://0.0.0.0:8080", "http2": true }], {{Tls}}, "redirectHttpToHttps": true, {{Worker}} }"""), Does.StartWith("$.redirectHttpToHttps: there is no http:// listener (without \"http2\")"));
        Assert.That(Fixture.OnlyError($$"""{ "listen": "http://0.0.0.0:8080", "hsts": {}, {{Worker}} }"""), Does.StartWith("$.hsts: Strict-Transport-Security is sent on HTTPS answers only"));
        Assert.That(Fixture.LoadValid($$"""{ {{Listen}}, {{Tls}}, "redirectHttpToHttps": true, {{Worker}} }""").RedirectHttpToHttps, Is.True);
    }

    [Test]
    public void Hsts_defaults_to_a_year_and_checks_what_preload_requires()
    {
        _ca.WritePem(CertificatePath, KeyPath, ["example.test"]);
        const string Tls = "\"tls\": { \"certificate\": \"live/fullchain.pem\", \"key\": \"live/privkey.pem\" }";

        var defaults = Fixture.LoadValid($$"""{ {{Listen}}, {{Tls}}, "hsts": {}, {{Worker}} }""").Hsts!;
        var preload = Fixture.LoadValid($$"""{ {{Listen}}, {{Tls}}, "hsts": { "maxAge": "730d", "includeSubDomains": true, "preload": true }, {{Worker}} }""").Hsts!;

        Assert.That(defaults, Is.EqualTo(new HstsConfig { MaxAge = TimeSpan.FromDays(365), IncludeSubDomains = false, Preload = false }));
        Assert.That(defaults.HeaderValue, Is.EqualTo("max-age=31536000"));
        Assert.That(preload.HeaderValue, Is.EqualTo("max-age=63072000; includeSubDomains; preload"));
        Assert.That(Fixture.OnlyError($$"""{ {{Listen}}, {{Tls}}, "hsts": { "preload": true }, {{Worker}} }"""), Does.StartWith("$.hsts.preload: the HSTS preload list requires \"includeSubDomains\": true"));
        Assert.That(Fixture.OnlyError($$"""{ {{Listen}}, {{Tls}}, "hsts": { "maxAge": "3y" }, {{Worker}} }"""), Does.StartWith("$.hsts.maxAge: expected a duration with a unit"));
    }

    [Test]
    public void The_environment_sets_the_certificate_files()
    {
        _ca.WritePem(CertificatePath, KeyPath, ["example.test"]);
        var variables = new Dictionary<string, string>
        {
            ["SUPERVISOR_LISTEN"] = "http://0.0.0.0:8080,https://0.0.0.0:8443",
            ["SUPERVISOR_TLS__CERTIFICATE"] = CertificatePath,
            ["SUPERVISOR_TLS__KEY"] = KeyPath,
            ["SUPERVISOR_REDIRECTHTTPTOHTTPS"] = "true",
            ["SUPERVISOR_HSTS__MAXAGE"] = "1d",
        };

        var config = ConfigLoader.Parse($$"""{ {{Worker}} }""", Fixture.ConfigPath, ConfigOverrides.None, Fixture.Environment with { Variables = variables }).Config!;

        Assert.That(config.Tls!.Certificates.Single(), Is.EqualTo(new TlsCertificateFiles(CertificatePath, KeyPath)));
        Assert.That((config.RedirectHttpToHttps, config.Hsts!.HeaderValue), Is.EqualTo((true, "max-age=86400")));
    }

    [Test]
    public void Other_certificate_files_apply_on_reload_but_tls_coming_or_going_needs_a_restart()
    {
        _ca.WritePem(CertificatePath, KeyPath, ["example.test"]);
        _ca.WritePem(Path.Combine(Fixture.Folder, "b.pem"), Path.Combine(Fixture.Folder, "b.key"), ["example.test"]);
        var running = Fixture.LoadValid($$"""{ {{Listen}}, "tls": { "certificate": "live/fullchain.pem", "key": "live/privkey.pem" }, {{Worker}} }""");
        var moved = Fixture.LoadValid($$"""{ {{Listen}}, "tls": { "certificate": "b.pem", "key": "b.key" }, "hsts": {}, {{Worker}} }""");
        var plain = Fixture.LoadValid($$"""{ "listen": "http://0.0.0.0:8080", {{Worker}} }""");

        Assert.That(ConfigChanges.Between(running, moved).Applied, Is.EqualTo(new[]
        {
            $"tls.certificate {CertificatePath} -> {Path.Combine(Fixture.Folder, "b.pem")}",
            $"tls.key {KeyPath} -> {Path.Combine(Fixture.Folder, "b.key")}",
        }));
        Assert.That(ConfigChanges.Between(running, moved).NeedRestart, Is.EqualTo(new[] { "hsts (added)" }));
        Assert.That(ConfigChanges.KeepRestartOnly(running, moved).Tls, Is.SameAs(moved.Tls));
        Assert.That(ConfigChanges.KeepRestartOnly(running, moved).Hsts, Is.Null);
        Assert.That(ConfigChanges.Between(running, plain).NeedRestart, Has.Some.StartsWith("listen").And.Some.EqualTo("tls (removed)"));
        Assert.That(ConfigChanges.KeepRestartOnly(running, plain).Tls, Is.SameAs(running.Tls));
    }
}
