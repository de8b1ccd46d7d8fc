using Cluster.Shared.Configuration;
using Cluster.Supervisor.FrontEnd.Tls;
using Cluster.Supervisor.Tests.Fakes;
using Cluster.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Cluster.Supervisor.Tests.FrontEnd;

/// <summary>
/// Reloading certificates in place, on a manual clock: the file watch (certbot's symlink swap, one file after the
/// other, a broken replacement), a config reload, and the expiry warnings at start, at reload and once a day.
/// </summary>
public sealed class TlsCertificateStoreTests
{
    private FakeTimeProvider _time = null!;
    private ListLogger _log = null!;
    private const string Name = "example.test";
    private CertbotFolder _folder = null!;

    [SetUp]
    public void CreateFolder()
    {
        // The certificates are issued on the real clock; the manual one starts there.
        _time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        _log = new ListLogger();
        _folder = new CertbotFolder();
    }

    [TearDown]
    public void DeleteFolder() => _folder.Dispose();

    private TlsConfig Config => new() { List = [_folder.Files(Name)] };

    private static string CurrentSerial(TlsCertificateStore store) => store.Current.Default.Loaded.SerialNumber;

    [Test]
    public void At_start_the_log_says_which_certificate_is_served()
    {
        var serial = _folder.Renew(Name, ["example.test", "www.example.test"]);

        using var store = TlsCertificateStore.Load(Config, _time, _log);

        var line = _log.The("TLS (start): serving certificate 0");
        Assert.That(line.Message, Does.Contain("CN=example.test for example.test, www.example.test").And.Contain($"serial {serial}").And.Contain("valid until").And.Contain("expires in 89 days").And.Contain(_folder.Files(Name).Certificate));
        Assert.That(line.Level, Is.EqualTo(LogLevel.Information));
        Assert.That(_log.Entries.Where(e => e.Level >= LogLevel.Warning), Is.Empty);
    }

    [Test]
    public void A_certificate_that_does_not_load_at_start_throws_naming_the_file()
    {
        _folder.Renew(Name);
        File.WriteAllText(_folder.Archive(Name, "privkey", 1), "garbage\n");

        var thrown = Assert.Throws<CertificateLoadException>(() => TlsCertificateStore.Load(Config, _time, _log));

        Assert.That(thrown!.Message, Does.StartWith($"{_folder.Files(Name).Key}: no PEM private key in it"));
    }

    [Test]
    public void A_renewal_by_symlink_swap_is_served_after_the_files_settle_and_the_old_set_is_replaced_whole()
    {
        var first = _folder.Renew(Name);
        using var store = TlsCertificateStore.Load(Config, _time, _log);
        store.StartWatching();
        var before = store.Current;

        var renewed = _folder.Renew(Name);
        _time.Advance(TlsCertificateStore.WatchInterval);

        Assert.That(CurrentSerial(store), Is.EqualTo(first), "one look sees the change; it waits until the files stay the same");
        _time.Advance(TlsCertificateStore.WatchInterval);

        Assert.That(CurrentSerial(store), Is.EqualTo(renewed));
        Assert.That(store.Current, Is.Not.SameAs(before), "a new set; the old one is untouched for connections that hold it");
        Assert.That(before.Default.Loaded.SerialNumber, Is.EqualTo(first));
        Assert.That(_log.Contains($"TLS (the files changed): serving certificate 0: CN=example.test for example.test, serial {renewed}"), Is.True, _log.Text);
        _time.Advance(TlsCertificateStore.WatchInterval * 5);
        Assert.That(_log.Messages.Count(m => m.Contains("serving certificate", StringComparison.Ordinal)), Is.EqualTo(2), "loaded once");
    }

    [Test]
    public void The_certificate_and_the_key_replaced_one_look_apart_load_without_an_error()
    {
        var first = _folder.Renew(Name);
        using var store = TlsCertificateStore.Load(Config, _time, _log);
        store.StartWatching();
        var (version, serial) = _folder.Issue(Name);

        _folder.Link(Name, "fullchain", version);
        _time.Advance(TlsCertificateStore.WatchInterval);
        _folder.Link(Name, "privkey", version);
        _time.Advance(TlsCertificateStore.WatchInterval);

        Assert.That(CurrentSerial(store), Is.EqualTo(first), "the key changed in the meantime: wait again");
        _time.Advance(TlsCertificateStore.WatchInterval);
        Assert.That(CurrentSerial(store), Is.EqualTo(serial));
        Assert.That(_log.Entries.Where(e => e.Level >= LogLevel.Warning), Is.Empty, _log.Text);
    }

    [Test]
    public void A_broken_replacement_is_refused_once_with_its_file_and_the_old_certificate_stays()
    {
        var first = _folder.Renew(Name);
        using var store = TlsCertificateStore.Load(Config, _time, _log);
        store.StartWatching();
        var (version, _) = _folder.Issue(Name);
        var (other, _) = _folder.Issue(Name);

        // A certificate with another certificate's key.
        _folder.Link(Name, "fullchain", version);
        _folder.Link(Name, "privkey", other);
        _time.Advance(TlsCertificateStore.WatchInterval * 6);

        Assert.That(CurrentSerial(store), Is.EqualTo(first));
        var refused = _log.Entries.Where(e => e.Level == LogLevel.Error).ToList();
        Assert.That(refused, Has.Count.EqualTo(1), "reported once, not at every look");
        Assert.That(refused[0].Message, Does.StartWith("TLS (the files changed): refused the new certificate 0:").And.Contain($"{_folder.Files(Name).Key}: the private key does not match the certificate in {_folder.Files(Name).Certificate}").And.Contain($"still serving the one in use (CN=example.test for example.test, serial {first}"));

        _folder.Link(Name, "privkey", version);
        _time.Advance(TlsCertificateStore.WatchInterval * 2);
        Assert.That(CurrentSerial(store), Is.Not.EqualTo(first), "fixed: served");
    }

    [Test]
    public void A_config_reload_reads_the_files_again_and_keeps_the_old_certificate_when_the_new_one_is_broken()
    {
        var first = _folder.Renew(Name);
        using var store = TlsCertificateStore.Load(Config, _time, _log);
        var (version, _) = _folder.Issue(Name, notBefore: DateTimeOffset.UtcNow.AddDays(1), notAfter: DateTimeOffset.UtcNow.AddDays(60));
        _folder.Link(Name, "fullchain", version);
        _folder.Link(Name, "privkey", version);

        store.Reload(Config, "config reload");

        Assert.That(CurrentSerial(store), Is.EqualTo(first));
        Assert.That(_log.The("TLS (config reload): refused the new certificate 0").Message, Does.Contain($"{_folder.Files(Name).Certificate}: the certificate (CN=example.test) is not valid yet"));

        var renewed = _folder.Renew(Name);
        store.Reload(Config, "config reload");
        Assert.That(CurrentSerial(store), Is.EqualTo(renewed));
        Assert.That(_log.Contains($"TLS (config reload): serving certificate 0: CN=example.test for example.test, serial {renewed}"), Is.True);
    }

    [Test]
    public void A_certificate_close_to_expiry_is_warned_about_at_start_and_at_reload()
    {
        _folder.Renew(Name, notAfter: DateTimeOffset.UtcNow.AddDays(10));

        using var store = TlsCertificateStore.Load(Config, _time, _log);
        store.Reload(Config, "config reload");

        var warnings = _log.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message).ToList();
        Assert.That(warnings, Has.Count.EqualTo(2));
        Assert.That(warnings[0], Does.StartWith("TLS: the certificate for example.test (serial ").And.Contain("expires in 9 days").And.Contain("renew it"));
    }

    [Test]
    public void The_expiry_is_checked_once_a_day()
    {
        _folder.Renew(Name, notAfter: DateTimeOffset.UtcNow.AddDays(20).AddHours(-1));
        using var store = TlsCertificateStore.Load(Config, _time, _log);
        store.StartExpiryChecks();
        int Warnings() => _log.Entries.Count(e => e.Level == LogLevel.Warning && e.Message.Contains("the certificate for example.test", StringComparison.Ordinal));

        _time.Advance(TimeSpan.FromDays(5));
        Assert.That(Warnings(), Is.EqualTo(0), "15 days left: no warning yet");

        _time.Advance(TimeSpan.FromDays(1));
        Assert.That(Warnings(), Is.EqualTo(1), "14 days left");
        _time.Advance(TimeSpan.FromHours(23));
        Assert.That(Warnings(), Is.EqualTo(1), "not more than once a day");
        _time.Advance(TimeSpan.FromHours(1));
        Assert.That(Warnings(), Is.EqualTo(2));

        // A day at a time: FakeTimeProvider moves the clock to the end before it fires the timers that fell due.
        for (var day = 0; day < 13; day++)
        {
            _time.Advance(TimeSpan.FromDays(1));
        }

        Assert.That(_log.Entries.Count(e => e.Level == LogLevel.Error && e.Message.Contains("expired", StringComparison.Ordinal)), Is.EqualTo(1), "past its end (day 20): an error");
    }
}
