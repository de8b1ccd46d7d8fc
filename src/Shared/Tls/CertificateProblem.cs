namespace Cluster.Shared.Tls;

/// <summary>Why a certificate and key pair cannot be served; <see cref="InKeyFile"/> says which file it is about.</summary>
public sealed record CertificateProblem(bool InKeyFile, string Message)
{
    public override string ToString() => Message;
}
