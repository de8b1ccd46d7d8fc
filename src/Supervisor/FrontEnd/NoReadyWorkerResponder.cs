using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Model;

namespace Cluster.Supervisor.FrontEnd;

/// <summary>
/// Answers 503 with a JSON body at once when no worker is ready (all starting, restarting, or stopped), instead of
/// YARP's empty 503 and a log line per request.
/// </summary>
internal sealed class NoReadyWorkerResponder(ILogger logger)
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    public Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        if (context.GetReverseProxyFeature().AvailableDestinations.Count > 0)
        {
            return next();
        }

        FrontEndLog.NoReadyWorker(logger, context.Request.Method, context.Request.Path);
        return ProblemResponses.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "no_worker_ready", "No worker is ready to serve this request; try again shortly.", RetryAfter);
    }
}
