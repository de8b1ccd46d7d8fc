namespace Cluster.Shared.Tls;

/// <summary>A loaded certificate, or the problem that prevents it; warnings (a key readable by others) either way.</summary>
public sealed record CertificateLoadResult(LoadedCertificate? Certificate, CertificateProblem? Problem, IReadOnlyList<string> Warnings);
