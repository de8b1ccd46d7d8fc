using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Cluster.Supervisor.FrontEnd;

/// <summary>
/// When YARP could not get a worker's answer it sets 502/504 and writes no body; this writes a short JSON body (if no
/// byte of the response has gone out yet) and logs which worker failed, once, at Warning.
/// </summary>
internal sealed class ForwardingErrorResponder(ILogger logger)
{
    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        await next();

        var error = context.Features.Get<IForwarderErrorFeature>();
        if (error is null)
        {
            return;
        }

        var destination = context.GetReverseProxyFeature().ProxiedDestination;
        var workerId = destination?.Model.Config.Metadata?.GetValueOrDefault(WorkerProxyConfigProvider.WorkerIdMetadata) ?? "?";
        FrontEndLog.ForwardingFailed(
            logger,
            context.Response.StatusCode,
            context.Request.Method,
            context.Request.Path,
            workerId,
            destination?.Model.Config.Address ?? "none",
            error.Error.ToString(),
            error.Exception?.GetBaseException().Message ?? "no detail");

        if (!context.Response.HasStarted)
        {
            var status = context.Response.StatusCode >= 400 ? context.Response.StatusCode : StatusCodes.Status502BadGateway;
            var (code, detail) = status == StatusCodes.Status504GatewayTimeout
                ? ("worker_timeout", "The worker did not answer in time.")
                : ("bad_gateway", "The worker failed before it answered this request.");
            await ProblemResponses.WriteAsync(context, status, code, detail);
        }
    }
}
