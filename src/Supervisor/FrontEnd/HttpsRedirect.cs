using Cluster.Supervisor.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;

namespace Cluster.Supervisor.FrontEnd;

/// <summary>
/// redirectHttpToHttps: a request on a cleartext HTTP/1 listener gets a 308 (method and body kept) to the same host,
/// path and query on the first https:// listener. ACME's HTTP-01 challenges are forwarded to the workers (certbot's
/// webroot keeps working), the load-balancer health path is answered before this, and h2c listeners are left alone:
/// their clients (gRPC on an internal network) follow no redirects. Registered only when configured.
/// </summary>
internal sealed class HttpsRedirect(int httpsPort, FrontEndCounters counters)
{
    public const string AcmeChallengePrefix = "/.well-known/acme-challenge/";

    private readonly int? _port = httpsPort == 443 ? null : httpsPort;

    public Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        var request = context.Request;
        if (request.IsHttps || HttpProtocol.IsHttp2(request.Protocol) || (request.Path.Value ?? string.Empty).StartsWith(AcmeChallengePrefix, StringComparison.Ordinal))
        {
            return next();
        }

        if (!request.Host.HasValue)
        {
            // HTTP/1.0 without a Host header: there is no name to redirect to.
            counters.Answered(StatusCodes.Status400BadRequest, elapsedTicks: 0);
            return ProblemResponses.WriteAsync(context, StatusCodes.Status400BadRequest, "host_required", "Send a Host header; this address redirects to HTTPS.");
        }

        counters.Answered(StatusCodes.Status308PermanentRedirect, elapsedTicks: 0);
        var host = _port is { } port ? new HostString(request.Host.Host, port) : new HostString(request.Host.Host);
        context.Response.StatusCode = StatusCodes.Status308PermanentRedirect;
        context.Response.Headers.Location = UriHelper.BuildAbsolute("https", host, request.PathBase, request.Path, request.QueryString);
        context.Response.ContentLength = 0;
        return Task.CompletedTask;
    }
}
