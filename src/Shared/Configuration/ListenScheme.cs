namespace Cluster.Shared.Configuration;

public enum ListenScheme
{
    /// <summary>Cleartext HTTP.</summary>
    Http,

    /// <summary>TLS, terminated by the front end with the certificates of the "tls" section.</summary>
    Https,
}
