using Cluster.Shared.Configuration;
using Cluster.Shared.Tls;
using Cluster.Supervisor.FrontEnd.Tls;
using Cluster.TestSupport;

namespace Cluster.Supervisor.Tests.FrontEnd;

/// <summary>
/// Certificates laid out as certbot does: archive/NAME/fullchainN.pem and privkeyN.pem, and live/NAME/*.pem symlinks
/// to the current ones, which a renewal re-points (a new symlink renamed over the old, one file after the other).
/// </summary>
internal sealed class CertificateFolder : IDisposable
{
    private int _version;

    public CertificateFolder(string name = "example.test")
    {
        Name = name;
        Directory.CreateDirectory(Path.Combine(Root, "live", name));
        Directory.CreateDirectory(Path.Combine(Root, "archive", name));
    }

    public TestCertificateAuthority Authority { get; } = new();

    public string Root { get; } = Directory.CreateTempSubdirectory("cluster-certificates-").FullName;

    public string Name { get; }

    public TlsCertificateFiles Files => new(Path.Combine(Root, "live", Name, "fullchain.pem"), Path.Combine(Root, "live", Name, "privkey.pem"));

    /// <summary>Writes archive files version N+1 (not linked yet); returns the version and the serial.</summary>
    public (int Version, string Serial) Issue(string[]? names = null, DateTimeOffset? notAfter = null, DateTimeOffset? notBefore = null)
    {
        var version = ++_version;
        var serial = Authority.WritePem(Archive("fullchain", version), Archive("privkey", version), names ?? [Name], notBefore: notBefore, notAfter: notAfter);
        return (version, serial);
    }

    /// <summary>Issues a new certificate and points both live symlinks at it, as a renewal does; returns its serial.</summary>
    public string Renew(string[]? names = null, DateTimeOffset? notAfter = null)
    {
        var (version, serial) = Issue(names, notAfter);
        Link("fullchain", version);
        Link("privkey", version);
        return serial;
    }

    /// <summary>Re-points live/NAME/FILE.pem at archive version N: a new symlink, renamed over the old (atomic).</summary>
    public void Link(string file, int version)
    {
        var live = Path.Combine(Root, "live", Name, $"{file}.pem");
        var temporary = live + ".new";
        File.CreateSymbolicLink(temporary, $"../../archive/{Name}/{file}{version}.pem");
        File.Move(temporary, live, overwrite: true);
    }

    public string Archive(string file, int version) => Path.Combine(Root, "archive", Name, $"{file}{version}.pem");

    public ServedCertificate Served(DateTimeOffset now)
    {
        var result = PemCertificateLoader.Load(Files, now);
        Assert.That(result.Problem, Is.Null);
        return new ServedCertificate(result.Certificate!, File.ReadAllText(Files.Certificate), File.ReadAllText(Files.Key));
    }

    public void Dispose()
    {
        Authority.Dispose();
        Directory.Delete(Root, recursive: true);
    }
}
