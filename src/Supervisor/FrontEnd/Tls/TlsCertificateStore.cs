using System.Globalization;
using System.Net.Security;
using Cluster.Shared.Configuration;
using Cluster.Shared.Tls;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.FrontEnd.Tls;

/// <summary>
/// The certificates of the https:// listeners, swapped whole: handshakes read one volatile reference (the current
/// <see cref="CertificateSet"/>) and never wait; a reload builds a new set and replaces it, so new handshakes get the
/// new certificates and open connections keep theirs. Reloads come from the config (SIGHUP, `supervisor reload`) and
/// from watching the files: every <see cref="WatchInterval"/> their contents are compared with what is served, which
/// sees certbot's renewal (it re-points the symlinks in live/ to new files in archive/) as well as a copy or a rename.
/// A change is loaded once the files have stayed the same for one interval (certbot replaces the certificate and the
/// key one after the other). A replacement that does not load is refused with its reason and the one in use stays.
/// Certificates that expire within 14 days are warned about at start, at every reload and once a day.
/// </summary>
internal sealed class TlsCertificateStore : IDisposable
{
    public static readonly TimeSpan WatchInterval = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan ExpiryCheckInterval = TimeSpan.FromDays(1);

    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    // Serializes reloads (the file watch's timer, a config reload); handshakes never take it.
    private readonly Lock _reloading = new();
    private readonly Dictionary<TlsCertificateFiles, (string? Certificate, string? Key)> _pending = [];
    private readonly Dictionary<TlsCertificateFiles, (string? Certificate, string? Key)> _refused = [];
    private volatile CertificateSet _current;
    private IReadOnlyList<TlsCertificateFiles> _files;
    private ITimer? _watch;
    private ITimer? _expiryCheck;

    private TlsCertificateStore(CertificateSet current, IReadOnlyList<TlsCertificateFiles> files, TimeProvider time, ILogger logger)
    {
        _current = current;
        _files = files;
        _time = time;
        _logger = logger;
    }

    public CertificateSet Current => _current;

    /// <summary>Loads every certificate; throws <see cref="CertificateLoadException"/> naming the file when one does not load.</summary>
    public static TlsCertificateStore Load(TlsConfig config, TimeProvider time, ILogger logger)
    {
        var now = time.GetUtcNow();
        var served = new List<ServedCertificate>();
        foreach (var files in config.Certificates)
        {
            // The config check has just printed the files' warnings; no need to log them twice.
            var (loaded, problem) = LoadFromDisk(files, now, logger: null);
            served.Add(loaded ?? throw new CertificateLoadException(problem!));
        }

        var store = new TlsCertificateStore(new CertificateSet(served), config.Certificates, time, logger);
        store.Announce("start", Enumerable.Range(0, served.Count));
        return store;
    }

    /// <summary>
    /// Kestrel's per-connection callback: the certificate for the client's SNI name, already set up; without ALPN for
    /// a client that offered only protocols the front end does not speak (<see cref="AlpnInspection"/>).
    /// </summary>
    public ValueTask<SslServerAuthenticationOptions> SelectAsync(TlsHandshakeCallbackContext context)
    {
        var served = _current.Select(context.ClientHelloInfo.ServerName);
        return ValueTask.FromResult(context.Connection.Features.Get<ForeignAlpnFeature>() is null ? served.Options : served.OptionsWithoutAlpn);
    }

    /// <summary>Starts the file watch and the daily expiry check.</summary>
    public void StartTimers()
    {
        StartWatching();
        StartExpiryChecks();
    }

    public void StartWatching() => _watch = _time.CreateTimer(_ => Guarded("the file watch", CheckFiles), null, WatchInterval, WatchInterval);

    public void StartExpiryChecks() => _expiryCheck = _time.CreateTimer(_ => Guarded("the expiry check", () => WarnAboutExpiry(_current.Certificates)), null, ExpiryCheckInterval, ExpiryCheckInterval);

    /// <summary>Runs a timer's or a reload's work: a failure is logged, never thrown on a timer thread (that would end the process).</summary>
    public void Guarded(string what, Action work)
    {
        try
        {
            work();
        }
        catch (Exception e)
        {
            TlsLog.Failed(_logger, what, e);
        }
    }

    /// <summary>Re-reads every certificate of <paramref name="config"/> (SIGHUP, `supervisor reload`).</summary>
    public void Reload(TlsConfig config, string origin)
    {
        lock (_reloading)
        {
            var now = _time.GetUtcNow();
            var previous = _current.Certificates;
            var served = new List<ServedCertificate>();
            for (var i = 0; i < config.Certificates.Count; i++)
            {
                var files = config.Certificates[i];
                var (loaded, problem) = LoadFromDisk(files, now, _logger);
                if (loaded is not null)
                {
                    served.Add(loaded);
                }
                else if (previous.FirstOrDefault(p => p.Loaded.Files == files) is { } inUse)
                {
                    TlsLog.Refused(_logger, origin, i, problem!, inUse.Loaded.Describe(now));
                    served.Add(inUse);
                }
                else
                {
                    // A certificate that was not served before and does not load: the new set would lack it.
                    TlsLog.NotReloaded(_logger, origin, problem!);
                    return;
                }
            }

            _files = config.Certificates;
            _pending.Clear();
            _refused.Clear();
            _current = new CertificateSet(served);
            Announce(origin, Enumerable.Range(0, served.Count));
        }
    }

    /// <summary>One look at the files: loads those whose contents changed and then stayed the same for one interval.</summary>
    public void CheckFiles()
    {
        lock (_reloading)
        {
            var now = _time.GetUtcNow();
            var served = _current.Certificates.ToList();
            var changed = new List<int>();
            for (var i = 0; i < _files.Count && i < served.Count; i++)
            {
                var files = _files[i];
                var certificate = PemCertificateLoader.Read(files.Certificate);
                var key = PemCertificateLoader.Read(files.Key);
                var contents = (certificate.Text ?? certificate.Problem, key.Text ?? key.Problem);
                if (served[i].SameContent(certificate.Text, key.Text))
                {
                    _pending.Remove(files);
                    _refused.Remove(files);
                    continue;
                }

                if (!_pending.TryGetValue(files, out var pending) || pending != contents)
                {
                    // Changed since the last look: wait one more interval, until both files are in place.
                    _pending[files] = contents;
                    continue;
                }

                if (_refused.TryGetValue(files, out var refused) && refused == contents)
                {
                    continue;
                }

                TlsLog.FilesChanged(_logger, i, files.Certificate);
                var problem = certificate.Problem ?? key.Problem;
                ServedCertificate? replacement = null;
                if (problem is null)
                {
                    (replacement, problem) = LoadFromText(files, certificate.Text!, key.Text!, now, _logger);
                }

                if (replacement is null)
                {
                    TlsLog.Refused(_logger, "the files changed", i, problem!, served[i].Loaded.Describe(now));
                    _refused[files] = contents;
                    continue;
                }

                _pending.Remove(files);
                served[i] = replacement;
                changed.Add(i);
            }

            if (changed.Count > 0)
            {
                _current = new CertificateSet(served);
                Announce("the files changed", changed);
            }
        }
    }

    public void Dispose()
    {
        _watch?.Dispose();
        _expiryCheck?.Dispose();
    }

    private static (ServedCertificate? Served, string? Problem) LoadFromDisk(TlsCertificateFiles files, DateTimeOffset now, ILogger? logger)
    {
        var certificate = PemCertificateLoader.Read(files.Certificate);
        var key = PemCertificateLoader.Read(files.Key);
        return certificate.Problem is not null || key.Problem is not null
            ? (null, certificate.Problem ?? key.Problem)
            : LoadFromText(files, certificate.Text!, key.Text!, now, logger);
    }

    private static (ServedCertificate? Served, string? Problem) LoadFromText(TlsCertificateFiles files, string certificateText, string keyText, DateTimeOffset now, ILogger? logger)
    {
        var result = PemCertificateLoader.Load(files, certificateText, keyText, now);
        foreach (var warning in logger is null ? [] : result.Warnings)
        {
            TlsLog.FileWarning(logger!, warning);
        }

        // The replaced certificates are not disposed: connections made with them may still use them.
        return result.Certificate is { } loaded ? (new ServedCertificate(loaded, certificateText, keyText), null) : (null, result.Problem!.Message);
    }

    private void Announce(string origin, IEnumerable<int> indexes)
    {
        var now = _time.GetUtcNow();
        var certificates = _current.Certificates;
        var announced = new List<ServedCertificate>();
        foreach (var index in indexes)
        {
            var certificate = certificates[index];
            TlsLog.Serving(_logger, origin, index, certificate.Loaded.Describe(now), certificate.Loaded.Files.Certificate);
            announced.Add(certificate);
        }

        WarnAboutExpiry(announced);
    }

    private void WarnAboutExpiry(IEnumerable<ServedCertificate> certificates)
    {
        var now = _time.GetUtcNow();
        foreach (var certificate in certificates.Select(c => c.Loaded).Where(c => c.ExpiresSoon(now)))
        {
            var notAfter = certificate.NotAfter.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            if (certificate.NotAfter <= now)
            {
                TlsLog.Expired(_logger, certificate.NamesText, certificate.SerialNumber, certificate.Remaining(now), notAfter);
            }
            else
            {
                TlsLog.ExpiresSoon(_logger, certificate.NamesText, certificate.SerialNumber, certificate.Remaining(now), notAfter);
            }
        }
    }
}
