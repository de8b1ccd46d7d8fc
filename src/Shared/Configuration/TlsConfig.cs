namespace Cluster.Shared.Configuration;

/// <summary>
/// The certificates of the https:// listeners: one (<see cref="Certificate"/> and <see cref="Key"/>) or several
/// (<see cref="List"/>). The first is served to clients whose SNI name no certificate lists (and to clients that send
/// none); the others are chosen by SNI from their subject alternative names. The files are re-read on SIGHUP, on
/// `supervisor reload` and when they change on disk.
/// </summary>
public sealed record TlsConfig
{
    public string? Certificate { get; init; }
    public string? Key { get; init; }
    public IReadOnlyList<TlsCertificateFiles>? List { get; init; }

    /// <summary>Every certificate, in order, each with the JSON path it was given at.</summary>
    public IReadOnlyList<TlsCertificateFiles> Certificates =>
        List is not null ? [.. List.Select((files, i) => files with { ConfigPath = $"$.tls.certificates[{i}]" })]
        : Certificate is null || Key is null ? []
        : [new TlsCertificateFiles(Certificate, Key)];

    public bool SameFiles(TlsConfig? other) => other is not null && Certificates.SequenceEqual(other.Certificates);
}
