namespace Cluster.Supervisor.FrontEnd.Tls;

/// <summary>A certificate could not be loaded at start (the config check passed, then a file changed or vanished).</summary>
internal sealed class CertificateLoadException(string message) : Exception(message);
