using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Cluster.Shared.Configuration;

namespace Cluster.Shared.Tls;

/// <summary>
/// A certificate with its private key, the intermediates that followed it in its file, and the DNS names it is for
/// (its subject alternative names, lower case; "*.example.com" for a wildcard).
/// </summary>
public sealed class LoadedCertificate(TlsCertificateFiles files, X509Certificate2 certificate, X509Certificate2Collection intermediates, IReadOnlyList<string> names) : IDisposable
{
    public TlsCertificateFiles Files { get; } = files;

    /// <summary>The leaf certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; } = certificate;

    public X509Certificate2Collection Intermediates { get; } = intermediates;

    public IReadOnlyList<string> Names { get; } = names;

    public string Subject => Certificate.Subject;

    public string SerialNumber => Certificate.SerialNumber;

    public DateTimeOffset NotBefore => new(Certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);

    public DateTimeOffset NotAfter => new(Certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);

    /// <summary>"example.com, www.example.com" (or the subject, for a certificate without DNS names).</summary>
    public string NamesText => Names.Count > 0 ? string.Join(", ", Names) : Subject;

    /// <summary>For logs and `check`: subject, names, serial and expiry.</summary>
    public string Describe(DateTimeOffset now) =>
        $"{Subject} for {NamesText}, serial {SerialNumber}, valid until {NotAfter.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC ({Remaining(now)})";

    /// <summary>"in 89 days", "in 5 hours", "expired 2 days ago".</summary>
    public string Remaining(DateTimeOffset now)
    {
        var left = NotAfter - now;
        var magnitude = left.Duration();
        var amount = magnitude.TotalDays >= 2
            ? $"{Math.Floor(magnitude.TotalDays).ToString(CultureInfo.InvariantCulture)} days"
            : $"{Math.Floor(magnitude.TotalHours).ToString(CultureInfo.InvariantCulture)} hours";
        return left >= TimeSpan.Zero ? $"expires in {amount}" : $"expired {amount} ago";
    }

    /// <summary>A certificate that expires within this is warned about at start, at every reload and once a day.</summary>
    public static readonly TimeSpan ExpiryWarning = TimeSpan.FromDays(14);

    /// <summary>Whether it expires (or has expired) within <see cref="ExpiryWarning"/> of now.</summary>
    public bool ExpiresSoon(DateTimeOffset now) => NotAfter - now <= ExpiryWarning;

    public void Dispose()
    {
        Certificate.Dispose();
        foreach (var intermediate in Intermediates)
        {
            intermediate.Dispose();
        }
    }
}
