using Cluster.Shared.Configuration;
using Cluster.Shared.Tls;
using Cluster.Supervisor.FrontEnd.Tls;
using Cluster.TestSupport;

namespace Cluster.Supervisor.Tests.FrontEnd;

/// <summary>A certbot folder's live files as the supervisor's own types see them.</summary>
internal static class CertbotFolderFiles
{
    /// <summary>live/NAME/fullchain.pem and privkey.pem, as "tls" names them.</summary>
    public static TlsCertificateFiles Files(this CertbotFolder folder, string name) => new(folder.CertificatePath(name), folder.KeyPath(name));

    /// <summary>NAME's current certificate, loaded and ready to serve.</summary>
    public static ServedCertificate Served(this CertbotFolder folder, string name, DateTimeOffset now)
    {
        var files = folder.Files(name);
        var result = PemCertificateLoader.Load(files, now);
        Assert.That(result.Problem, Is.Null);
        return new ServedCertificate(result.Certificate!, File.ReadAllText(files.Certificate), File.ReadAllText(files.Key));
    }
}
