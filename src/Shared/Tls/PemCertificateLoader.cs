using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cluster.Shared.Configuration;

namespace Cluster.Shared.Tls;

/// <summary>
/// Loads a certificate and its private key from PEM files, as certbot writes them (fullchain.pem: the certificate,
/// then its intermediates; privkey.pem: an unencrypted PKCS#8, RSA or EC key), and says precisely what is wrong when it
/// cannot: a file missing or unreadable, no certificate in it, an encrypted key, a key of another certificate, a
/// certificate not valid yet or not for TLS servers. Every message names the file.
/// </summary>
public static class PemCertificateLoader
{
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    public static CertificateLoadResult Load(TlsCertificateFiles files, DateTimeOffset now)
    {
        var certificate = Read(files.Certificate);
        if (certificate.Text is null)
        {
            return Failed(false, certificate.Problem!);
        }

        var key = Read(files.Key);
        return key.Text is null ? Failed(true, key.Problem!) : Load(files, certificate.Text, key.Text, now);
    }

    /// <summary>The same from the files' contents, already read (the file watch compares them first).</summary>
    public static CertificateLoadResult Load(TlsCertificateFiles files, string certificateText, string keyText, DateTimeOffset now)
    {
        var warnings = new List<string>();
        if (ReadableByOthers(files.Key) is { } mode)
        {
            // As ssh warns about an unprotected identity file: any local user could impersonate the site.
            warnings.Add($"{files.Key}: the private key is readable by every user on this machine (mode {mode}); make it readable only by the supervisor's user or group (chmod 600 or 640)");
        }

        if (keyText.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal) || keyText.Contains("Proc-Type: 4,ENCRYPTED", StringComparison.Ordinal))
        {
            return Failed(true, $"{files.Key}: the private key is encrypted (it has a passphrase), which a service cannot type in when it starts; write it unencrypted (openssl pkey -in {Path.GetFileName(files.Key)} -out key.pem) and readable only by the supervisor's user", warnings);
        }

        if (!keyText.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            return Failed(true, $"{files.Key}: no PEM private key in it (expected -----BEGIN PRIVATE KEY-----, as certbot's privkey.pem)", warnings);
        }

        var all = new X509Certificate2Collection();
        try
        {
            all.ImportFromPem(certificateText);
        }
        catch (CryptographicException e)
        {
            return Failed(false, $"{files.Certificate}: not a valid PEM certificate: {e.Message}", warnings);
        }

        if (all.Count == 0)
        {
            return Failed(false, $"{files.Certificate}: no PEM certificate in it (expected -----BEGIN CERTIFICATE-----, as certbot's fullchain.pem)", warnings);
        }

        // fullchain.pem: the server's own certificate first, then the intermediates a client needs to reach a root.
        using var leaf = all[0];
        var intermediates = new X509Certificate2Collection();
        for (var i = 1; i < all.Count; i++)
        {
            intermediates.Add(all[i]);
        }

        var problem = CheckUsable(leaf, files, now);
        var withKey = problem is null ? AttachKey(leaf, keyText, files, out problem) : null;
        if (withKey is null)
        {
            foreach (var intermediate in intermediates)
            {
                intermediate.Dispose();
            }

            return Failed(problem!.InKeyFile, problem.Message, warnings);
        }

        return new CertificateLoadResult(new LoadedCertificate(files, withKey, intermediates, DnsNames(withKey)), null, warnings);
    }

    private static CertificateProblem? CheckUsable(X509Certificate2 leaf, TlsCertificateFiles files, DateTimeOffset now)
    {
        var notBefore = new DateTimeOffset(leaf.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        if (notBefore > now)
        {
            return new CertificateProblem(false, $"{files.Certificate}: the certificate ({leaf.Subject}) is not valid yet: valid from {notBefore.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC (is this machine's clock right?)");
        }

        foreach (var usage in leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>())
        {
            if (!usage.EnhancedKeyUsages.Cast<Oid>().Any(oid => oid.Value == ServerAuthentication))
            {
                return new CertificateProblem(false, $"{files.Certificate}: the certificate ({leaf.Subject}) is not for TLS servers: its extended key usage lacks serverAuth");
            }
        }

        return null;
    }

    /// <summary>The certificate with the key, after checking that the key is this certificate's.</summary>
    private static X509Certificate2? AttachKey(X509Certificate2 leaf, string keyText, TlsCertificateFiles files, out CertificateProblem? problem)
    {
        problem = null;
        var mismatch = new CertificateProblem(true, $"{files.Key}: the private key does not match the certificate in {files.Certificate} (a key of another certificate? certbot's privkey.pem and fullchain.pem of the same folder belong together)");
        try
        {
            if (leaf.GetRSAPublicKey() is { } rsaPublic)
            {
                using (rsaPublic)
                {
                    using var rsa = RSA.Create();
                    rsa.ImportFromPem(keyText);
                    if (!rsa.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(rsaPublic.ExportSubjectPublicKeyInfo()))
                    {
                        problem = mismatch;
                        return null;
                    }

                    return leaf.CopyWithPrivateKey(rsa);
                }
            }

            if (leaf.GetECDsaPublicKey() is { } ecPublic)
            {
                using (ecPublic)
                {
                    using var ec = ECDsa.Create();
                    ec.ImportFromPem(keyText);
                    if (!ec.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(ecPublic.ExportSubjectPublicKeyInfo()))
                    {
                        problem = mismatch;
                        return null;
                    }

                    return leaf.CopyWithPrivateKey(ec);
                }
            }
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            // No key of the certificate's type (an EC key for an RSA certificate, say), or a broken one.
            problem = IsOtherKeyType(keyText, leaf) ? mismatch : new CertificateProblem(true, $"{files.Key}: not a usable private key: {e.Message}");
            return null;
        }

        problem = new CertificateProblem(false, $"{files.Certificate}: the certificate's key type ({leaf.PublicKey.Oid.FriendlyName ?? leaf.PublicKey.Oid.Value}) is not supported; use an RSA or ECDSA certificate");
        return null;
    }

    private static bool IsOtherKeyType(string keyText, X509Certificate2 leaf)
    {
        using AsymmetricAlgorithm other = leaf.GetRSAPublicKey() is null ? RSA.Create() : ECDsa.Create();
        try
        {
            other.ImportFromPem(keyText);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            return false;
        }
    }

    private static List<string> DnsNames(X509Certificate2 certificate)
    {
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>()
            .SelectMany(san => san.EnumerateDnsNames())
            .Select(name => name.ToLowerInvariant())
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (names.Count == 0 && certificate.GetNameInfo(X509NameType.DnsName, forIssuer: false) is { Length: > 0 } commonName)
        {
            // An old-style certificate with its name only in the subject's CN.
            names.Add(commonName.ToLowerInvariant());
        }

        return names;
    }

    /// <summary>The file's text, or why it cannot be read.</summary>
    public static (string? Text, string? Problem) Read(string path)
    {
        try
        {
            return (File.ReadAllText(path), null);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return (null, $"{path}: file not found");
        }
        catch (UnauthorizedAccessException)
        {
            return (null, $"{path}: cannot read it (permission denied): make it readable by the supervisor's user (see the README on certbot's files)");
        }
        catch (IOException e)
        {
            return (null, $"{path}: cannot read it: {e.Message}");
        }
    }

    private static string? ReadableByOthers(string path)
    {
        try
        {
            var mode = File.GetUnixFileMode(path);
            return (mode & UnixFileMode.OtherRead) != 0 ? Convert.ToString((int)mode, 8).PadLeft(4, '0') : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static CertificateLoadResult Failed(bool inKeyFile, string message, IReadOnlyList<string>? warnings = null) =>
        new(null, new CertificateProblem(inKeyFile, message), warnings ?? []);
}
