using Microsoft.AspNetCore.Connections;

namespace Cluster.Supervisor.FrontEnd.Tls;

/// <summary>
/// A connection middleware in front of Kestrel's TLS: looks at the client's ClientHello without consuming it and,
/// when its ALPN list holds nothing the front end speaks, marks the connection (<see cref="ForeignAlpnFeature"/>) so
/// that <see cref="TlsCertificateStore.SelectAsync"/> hands the handshake options without ALPN. Otherwise SslStream
/// would end the handshake with no_application_protocol: `curl -0 https://...` (which offers only http/1.0) got no
/// answer at all, where over plain HTTP it gets one. One read of bytes already on their way, once per connection.
/// </summary>
internal static class AlpnInspection
{
    /// <summary>How long a client may take to send its ClientHello: Kestrel's default for the TLS handshake itself.</summary>
    public static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(10);

    public static ConnectionDelegate Middleware(ConnectionDelegate next) => connection => InvokeAsync(connection, next);

    private static async Task InvokeAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var offer = await ReadOfferAsync(connection);
        if (offer == AlpnOffer.Incomplete)
        {
            // No ClientHello in time: closed, as the handshake's own timeout would.
            return;
        }

        if (offer == AlpnOffer.Foreign)
        {
            connection.Features.Set(ForeignAlpnFeature.Instance);
        }

        await next(connection);
    }

    private static async Task<AlpnOffer> ReadOfferAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        using var timeout = new CancellationTokenSource(HelloTimeout);
        while (true)
        {
            System.IO.Pipelines.ReadResult result;
            try
            {
                result = await input.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                return AlpnOffer.Incomplete;
            }

            var buffer = result.Buffer;
            var offer = ClientHelloAlpn.Inspect(buffer);
            if (offer != AlpnOffer.Incomplete || result.IsCompleted || buffer.Length >= ClientHelloAlpn.MaxBytes)
            {
                // Nothing consumed, nothing examined: the TLS middleware reads the same bytes next.
                input.AdvanceTo(buffer.Start);
                return offer == AlpnOffer.Incomplete && !result.IsCompleted ? AlpnOffer.None : offer;
            }

            // Examined all of it: the next read waits for more.
            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
