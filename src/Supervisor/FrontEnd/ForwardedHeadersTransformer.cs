using System.Globalization;
using Cluster.Shared.Configuration;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Cluster.Supervisor.FrontEnd;

/// <summary>
/// YARP's default request transform (all headers but hop-by-hop ones, no Host) plus X-Forwarded-For/Proto/Host (and
/// X-Forwarded-Prefix when an app's stripPath took a prefix off the path),
/// replacing what the client sent or, behind a trusted balancer, appending to it; and with proxy.requestStartHeader,
/// X-Request-Start: t=&lt;microseconds since the Unix epoch&gt; (the convention of Heroku, New Relic, puma), always
/// replacing a client's. The only allocation that adds is the header's value.
/// </summary>
internal sealed class ForwardedHeadersTransformer(ForwardedHeadersMode mode, bool requestStart, TimeProvider time) : HttpTransformer
{
    public const string RequestStart = "X-Request-Start";

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        var client = httpContext.Connection.RemoteIpAddress;
        if (client is { IsIPv4MappedToIPv6: true })
        {
            client = client.MapToIPv4();
        }

        Put(proxyRequest, "X-Forwarded-For", client?.ToString());
        Put(proxyRequest, "X-Forwarded-Proto", httpContext.Request.Scheme);
        Put(proxyRequest, "X-Forwarded-Host", httpContext.Request.Host.Value);
        if (httpContext.Request.PathBase.HasValue)
        {
            // An app's stripPath took this prefix off the path (see AppRouteTable): the worker can rebuild its URLs.
            Put(proxyRequest, "X-Forwarded-Prefix", httpContext.Request.PathBase.Value);
        }

        if (requestStart)
        {
            // A first attempt is forwarded microseconds after the request arrived: now is when it was received.
            var received = httpContext.Features.Get<RequestReceivedFeature>()?.At ?? time.GetUtcNow();
            proxyRequest.Headers.Remove(RequestStart);
            proxyRequest.Headers.TryAddWithoutValidation(RequestStart, RequestStartValue(received));
        }
    }

    /// <summary>"t=" and the microseconds since the Unix epoch.</summary>
    public static string RequestStartValue(DateTimeOffset received) =>
        string.Create(CultureInfo.InvariantCulture, $"t={(received - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond}");

    private void Put(HttpRequestMessage request, string name, string? value)
    {
        if (value is null)
        {
            return;
        }

        if (mode == ForwardedHeadersMode.Append && request.Headers.TryGetValues(name, out var existing))
        {
            value = $"{string.Join(", ", existing)}, {value}";
        }

        request.Headers.Remove(name);
        request.Headers.TryAddWithoutValidation(name, value);
    }
}
