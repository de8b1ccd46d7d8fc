using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Cluster.TestSupport;

/// <summary>
/// A certificate authority made at run time (no key is ever committed): it issues server certificates and writes them
/// as PEM files the way certbot does (fullchain.pem, privkey.pem), and its clients trust exactly it, no other root
/// and no "accept anything".
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private readonly ECDsa _key;

    public TestCertificateAuthority(string name = "Cluster Test CA")
    {
        _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", _key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        Certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>
    /// Issues a certificate for <paramref name="names"/> and writes it (then this CA, as an intermediate would follow)
    /// to <paramref name="certificatePath"/> and its unencrypted PKCS#8 key to <paramref name="keyPath"/>; returns its
    /// serial number as X509Certificate2.SerialNumber prints it.
    /// </summary>
    public string WritePem(string certificatePath, string keyPath, string[] names, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, bool rsa = false, bool serverAuth = true, string? keyPassword = null)
    {
        using AsymmetricAlgorithm key = rsa ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = key is RSA rsaKey
            ? new CertificateRequest($"CN={names[0]}", rsaKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest($"CN={names[0]}", (ECDsa)key, HashAlgorithmName.SHA256);
        var alternativeNames = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            alternativeNames.AddDnsName(name);
        }

        request.CertificateExtensions.Add(alternativeNames.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], critical: false));
        var serial = RandomNumberGenerator.GetBytes(9);
        serial[0] &= 0x7F;
        using var issued = request.Create(
            Certificate.SubjectName,
            X509SignatureGenerator.CreateForECDsa(_key),
            notBefore ?? DateTimeOffset.UtcNow.AddHours(-1),
            notAfter ?? DateTimeOffset.UtcNow.AddDays(90),
            serial);

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(certificatePath))!);
        File.WriteAllText(certificatePath, issued.ExportCertificatePem() + "\n" + Certificate.ExportCertificatePem() + "\n");
        var keyPem = keyPassword is null
            ? key.ExportPkcs8PrivateKeyPem()
            : key.ExportEncryptedPkcs8PrivateKeyPem(keyPassword, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 100_000));
        File.WriteAllText(keyPath, keyPem + "\n");
        File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return issued.SerialNumber;
    }

    /// <summary>Whether <paramref name="certificate"/> chains to this CA (and only to it).</summary>
    public bool Issued(X509Certificate2 certificate, X509Certificate2Collection? extra = null)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (extra is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(extra);
        }

        return chain.Build(certificate);
    }

    /// <summary>
    /// An HTTPS client that trusts this CA only (and checks the name), connects every request to 127.0.0.1:PORT
    /// whatever its host (so SNI names need no DNS), and reports the certificate each new connection was given.
    /// </summary>
    public HttpClient CreateClient(Action<X509Certificate2>? presented = null, bool pooled = true)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            PooledConnectionLifetime = pooled ? Timeout.InfiniteTimeSpan : TimeSpan.Zero,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(System.Net.IPAddress.Loopback, context.DnsEndPoint.Port, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
        {
            if (certificate is not X509Certificate2 server || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            {
                return false;
            }

            // What the server sent after its own certificate (the intermediates of fullchain.pem).
            var extra = new X509Certificate2Collection();
            if (chain is not null)
            {
                extra.AddRange(chain.ChainPolicy.ExtraStore);
            }

            presented?.Invoke(server);
            return Issued(server, extra);
        };
        return new HttpClient(handler) { Timeout = Waits.Patience };
    }

    public void Dispose()
    {
        Certificate.Dispose();
        _key.Dispose();
    }
}
