namespace Cluster.Supervisor.FrontEnd.Tls;

/// <summary>
/// The certificates served at one moment, immutable: a handshake picks one by its SNI name (an exact name first,
/// then a wildcard for the first label), else the first certificate. A reload builds a new set.
/// </summary>
internal sealed class CertificateSet
{
    private readonly Dictionary<string, ServedCertificate> _exact = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ServedCertificate>.AlternateLookup<ReadOnlySpan<char>> _wildcards;

    public CertificateSet(IReadOnlyList<ServedCertificate> certificates)
    {
        Certificates = certificates;
        var wildcards = new Dictionary<string, ServedCertificate>(StringComparer.OrdinalIgnoreCase);
        foreach (var certificate in certificates)
        {
            foreach (var name in certificate.Loaded.Names)
            {
                // The first certificate that lists a name keeps it.
                _ = name.StartsWith("*.", StringComparison.Ordinal) ? wildcards.TryAdd(name[2..], certificate) : _exact.TryAdd(name, certificate);
            }
        }

        _wildcards = wildcards.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public IReadOnlyList<ServedCertificate> Certificates { get; }

    public ServedCertificate Default => Certificates[0];

    /// <summary>The certificate for a client that asked for <paramref name="serverName"/> (null or empty: sent no SNI).</summary>
    public ServedCertificate Select(string? serverName)
    {
        if (string.IsNullOrEmpty(serverName))
        {
            return Default;
        }

        if (_exact.TryGetValue(serverName, out var exact))
        {
            return exact;
        }

        // "*.example.com" is for "a.example.com", not "example.com" nor "a.b.example.com".
        var dot = serverName.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && _wildcards.TryGetValue(serverName.AsSpan(dot + 1), out var wildcard) ? wildcard : Default;
    }
}
