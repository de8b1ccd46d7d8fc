using System.Globalization;
using System.Threading.RateLimiting;
using Cluster.Shared.Configuration;
using Cluster.Supervisor.Metrics;
using Cluster.Supervisor.Workers.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.FrontEnd;

/// <summary>
/// Per-client-IP rate limiting (rateLimit) with the base library's partitioned fixed-window limiter: one window per
/// client IP and <see cref="RateLimitBudget"/> (the machine's, shared by the apps without one of their own, or an app's
/// own) for the whole cluster, unlike an in-memory limiter inside each worker. Over the limit: 429, Retry-After, a JSON body.
/// </summary>
/// <remarks>
/// Asked by the front end once a request's app is known (after routing), and only when that app has a budget: a config
/// without rateLimit pays a null check per request. ASP.NET Core's rate-limiting middleware is not used because it is
/// in the pipeline or not from start, and its global limiter takes the partition lock on every request, limited or
/// not; a budget added or changed by a reload would then need a restart, or cost every request of every config.
/// A changed budget is a new partition key, so its clients start a fresh window; the old windows sit idle, and the
/// limiter disposes of idle partitions itself.
/// </remarks>
internal sealed class ClientRateLimiter(FrontEndCounters counters, ILogger logger) : IDisposable
{
    private readonly PartitionedRateLimiter<ClientBudget> _limiter = PartitionedRateLimiter.Create<ClientBudget, ClientBudget>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, window => new FixedWindowRateLimiterOptions
        {
            PermitLimit = window.Budget.Limit.Requests,
            Window = window.Budget.Limit.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    /// <summary>
    /// True when the request is within its client's <paramref name="budget"/>; otherwise it has been answered 429 and
    /// counted (under <paramref name="app"/>, the app it was routed to, if any).
    /// </summary>
    public ValueTask<bool> AdmitAsync(HttpContext context, RateLimitBudget budget, SlotCounters? app)
    {
        var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        using var lease = _limiter.AttemptAcquire(new ClientBudget(budget, client));
        if (lease.IsAcquired)
        {
            return ValueTask.FromResult(true);
        }

        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : budget.Limit.Window;
        return RefuseAsync(context, budget.Limit, retryAfter, client, app);
    }

    public void Dispose() => _limiter.Dispose();

    private async ValueTask<bool> RefuseAsync(HttpContext context, RateLimitConfig limit, TimeSpan retryAfter, string client, SlotCounters? app)
    {
        // Refused before the proxy handler, which counts every other answer; as good as instant.
        counters.RateLimited();
        counters.Answered(StatusCodes.Status429TooManyRequests, elapsedTicks: 0, app);
        FrontEndLog.RateLimited(logger, context.Request.Method, context.Request.Path, client);
        await ProblemResponses.WriteAsync(
            context,
            StatusCodes.Status429TooManyRequests,
            "too_many_requests",
            $"More than {limit.Requests.ToString(CultureInfo.InvariantCulture)} requests per {Logging.HumanDuration.Format(limit.Window)} from this address; try again later.",
            retryAfter);
        return false;
    }
}
