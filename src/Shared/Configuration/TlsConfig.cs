namespace Cluster.Shared.Configuration;

/// <summary>
/// The certificates of the https:// listeners. The first is served to clients whose SNI name no certificate lists
/// (and to clients that send none); the others are chosen by SNI from their subject alternative names. The files are
/// re-read on SIGHUP, on `supervisor reload` and when they change on disk.
/// </summary>
public sealed record TlsConfig
{
    public required IReadOnlyList<TlsCertificateFiles> Certificates { get; init; }

    public bool SameFiles(TlsConfig? other) => other is not null && Certificates.SequenceEqual(other.Certificates);
}
