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
        // offline: the chain comes from fullchain.pem and the system store, never from fetching issuers.
        var context = SslStreamCertificateContext.Create(loaded.Certificate, loaded.Intermediates, offline: true);
        Options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = context,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            // Set here, so that Kestrel does not fill in ALPN itself (it would write into these shared options).
            ApplicationProtocols = Alpn,
            // RFC 9113, section 9.2.1: no renegotiation under HTTP/2.
            AllowRenegotiation = false,
            ClientCertificateRequired = false,
            CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
        };
        OptionsWithoutAlpn = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = context,
            EnabledSslProtocols = Options.EnabledSslProtocols,
            // Empty, not null: null would make Kestrel fill in its own list. With none, the client's ALPN is ignored.
            ApplicationProtocols = [],
            AllowRenegotiation = false,
            ClientCertificateRequired = false,
            CertificateRevocationCheckMode = Options.CertificateRevocationCheckMode,
        };
    }

    public LoadedCertificate Loaded { get; }

    public string CertificateText { get; }

    public string KeyText { get; }

    public SslServerAuthenticationOptions Options { get; }

    /// <summary>For a client whose ALPN list holds nothing the front end speaks: no ALPN, so HTTP/1.x (RFC 7301 lets a server ignore it).</summary>
    public SslServerAuthenticationOptions OptionsWithoutAlpn { get; }

    public bool SameContent(string? certificateText, string? keyText) =>
        string.Equals(CertificateText, certificateText, StringComparison.Ordinal) && string.Equals(KeyText, keyText, StringComparison.Ordinal);
}
