using System.Globalization;
using System.Threading.RateLimiting;
using Cluster.Shared.Configuration;
using Cluster.Supervisor.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.FrontEnd;

/// <summary>
/// Per-client-IP rate limiting with ASP.NET Core's built-in limiter: one budget per client for the whole cluster,
/// unlike an in-memory limiter inside each worker. Over the limit: 429, Retry-After, a JSON body.
/// </summary>
internal static class ClientRateLimiting
{
    public static void Add(IServiceCollection services, RateLimitConfig config, Func<ILogger> logger, FrontEndCounters counters)
    {
        services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = config.Requests,
                        Window = config.Window,
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    }));
            options.OnRejected = async (rejected, _) =>
            {
                var context = rejected.HttpContext;
                // Refused before the proxy handler, which counts every other answer; as good as instant.
                counters.RateLimited();
                counters.Answered(StatusCodes.Status429TooManyRequests, elapsedTicks: 0);
                FrontEndLog.RateLimited(logger(), context.Request.Method, context.Request.Path, context.Connection.RemoteIpAddress?.ToString() ?? "-");
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : config.Window;
                await ProblemResponses.WriteAsync(
                    context,
                    StatusCodes.Status429TooManyRequests,
                    "too_many_requests",
                    $"More than {config.Requests.ToString(CultureInfo.InvariantCulture)} requests per {Logging.HumanDuration.Format(config.Window)} from this address; try again later.",
                    retryAfter);
            };
        });
    }
}
