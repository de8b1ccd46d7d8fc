namespace Cluster.Supervisor.FrontEnd.Tls;

/// <summary>What a client's TLS ClientHello offers in its ALPN extension, as far as the front end is concerned.</summary>
internal enum AlpnOffer
{
    /// <summary>The ClientHello is not complete yet.</summary>
    Incomplete,

    /// <summary>No ALPN extension, or nothing that could be read as one: the handshake goes as configured.</summary>
    None,

    /// <summary>At least one protocol the front end speaks (h2, http/1.1).</summary>
    Spoken,

    /// <summary>Only protocols the front end does not speak (curl -0 offers just http/1.0).</summary>
    Foreign,
}
