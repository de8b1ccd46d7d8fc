using System.Net;
using Cluster.Shared.Configuration;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Cluster.Supervisor.FrontEnd;

/// <summary>
/// YARP's default request transform (all headers but hop-by-hop ones, no Host) plus X-Forwarded-For/Proto/Host,
/// replacing what the client sent or, behind a trusted balancer, appending to it.
/// </summary>
internal sealed class ForwardedHeadersTransformer(ForwardedHeadersMode mode) : HttpTransformer
{
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
    }

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
