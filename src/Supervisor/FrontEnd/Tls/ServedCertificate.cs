using System.Net.Security;
using System.Security.Authentication;
using Cluster.Shared.Tls;

namespace Cluster.Supervisor.FrontEnd.Tls;

/// <summary>
/// One certificate ready for handshakes: its SslStreamCertificateContext holds the chain built once here, and the
/// options are shared by every handshake that selects it (SslStream copies them, nobody changes them), so a handshake
/// builds nothing. Also keeps the files' text, to see when they change.
/// </summary>
internal sealed class ServedCertificate
{
    private static readonly List<SslApplicationProtocol> Alpn = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];

    public ServedCertificate(LoadedCertificate loaded, string certificateText, string keyText)
    {
        Loaded = loaded;
        CertificateText = certificateText;
        KeyText = keyText;
        Options = new SslServerAuthenticationOptions
        {
            // offline: the chain comes from fullchain.pem and the system store, never from fetching issuers.
            ServerCertificateContext = SslStreamCertificateContext.Create(loaded.Certificate, loaded.Intermediates, offline: true),
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            // Set here, so that Kestrel does not fill in ALPN itself (it would write into these shared options).
            ApplicationProtocols = Alpn,
            // RFC 9113, section 9.2.1: no renegotiation under HTTP/2.
            AllowRenegotiation = false,
            ClientCertificateRequired = false,
            CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
        };
    }

    public LoadedCertificate Loaded { get; }

    public string CertificateText { get; }

    public string KeyText { get; }

    public SslServerAuthenticationOptions Options { get; }

    public bool SameContent(string? certificateText, string? keyText) =>
        string.Equals(CertificateText, certificateText, StringComparison.Ordinal) && string.Equals(KeyText, keyText, StringComparison.Ordinal);
}
