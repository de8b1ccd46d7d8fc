namespace Cluster.Shared.Configuration;

/// <summary>
/// One certificate as PEM files, as certbot and other ACME clients write them: the certificate followed by its
/// intermediates (fullchain.pem) and the unencrypted private key (privkey.pem). Absolute paths.
/// </summary>
public sealed record TlsCertificateFiles(string Certificate, string Key)
{
    /// <summary>The JSON path of this entry, e.g. "$.tls" or "$.tls.certificates[1]", for messages.</summary>
    public string ConfigPath { get; init; } = "$.tls";
}
