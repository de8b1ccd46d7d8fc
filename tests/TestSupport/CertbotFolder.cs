namespace Cluster.TestSupport;

/// <summary>
/// Certificates from a run-time test CA laid out as certbot does: archive/NAME/fullchainN.pem and privkeyN.pem, and
/// live/NAME/fullchain.pem and privkey.pem, symlinks to the current ones, which a renewal re-points (a new symlink
/// renamed over the old, one file after the other). One lineage per NAME; its own temp folder, deleted on dispose.
/// </summary>
public sealed class CertbotFolder : IDisposable
{
    private readonly TempFolder _folder = new("certificates");
    private readonly Dictionary<string, int> _versions = [];

    public TestCertificateAuthority Authority { get; } = new();

    public string Root => _folder.Path;

    public string CertificatePath(string name) => _folder.Combine("live", name, "fullchain.pem");

    public string KeyPath(string name) => _folder.Combine("live", name, "privkey.pem");

    public string Archive(string name, string file, int version) => _folder.Combine("archive", name, $"{file}{version}.pem");

    /// <summary>Writes version N+1 of <paramref name="name"/>'s files into archive/ (not linked yet); returns its version and serial.</summary>
    /// <param name="names">The certificate's names (subject alternative names); <paramref name="name"/> alone by default.</param>
    public (int Version, string Serial) Issue(string name, string[]? names = null, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        var version = _versions[name] = _versions.GetValueOrDefault(name) + 1;
        var serial = Authority.WritePem(Archive(name, "fullchain", version), Archive(name, "privkey", version), names ?? [name], notBefore, notAfter);
        return (version, serial);
    }

    /// <summary>Issues a new certificate and points both live symlinks at it, as a renewal does; returns its serial.</summary>
    public string Renew(string name, string[]? names = null, DateTimeOffset? notAfter = null)
    {
        var (version, serial) = Issue(name, names, notAfter: notAfter);
        Link(name, "fullchain", version);
        Link(name, "privkey", version);
        return serial;
    }

    /// <summary>Re-points live/NAME/FILE.pem at archive version N: a new symlink, renamed over the old (atomic).</summary>
    public void Link(string name, string file, int version)
    {
        var live = _folder.Combine("live", name, $"{file}.pem");
        Directory.CreateDirectory(Path.GetDirectoryName(live)!);
        var temporary = live + ".new";
        File.CreateSymbolicLink(temporary, $"../../archive/{name}/{file}{version}.pem");
        File.Move(temporary, live, overwrite: true);
    }

    public void Dispose()
    {
        Authority.Dispose();
        _folder.Dispose();
    }
}
