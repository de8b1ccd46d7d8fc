using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.FrontEnd;

/// <summary>One log line per request (accessLog.enabled): method, path, status, duration, worker, client. Off by default.</summary>
internal sealed class AccessLogMiddleware(ILogger logger)
{
    /// <summary>HttpContext.Items key under which the proxy handler records the worker id.</summary>
    public static readonly object WorkerItem = new();

    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next();
        }
        finally
        {
            FrontEndLog.Access(
                logger,
                context.Request.Method,
                context.Request.Path.Value ?? "/",
                context.Response.StatusCode,
                Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 2),
                context.Items.TryGetValue(WorkerItem, out var worker) ? (string)worker! : "-",
                context.Connection.RemoteIpAddress?.ToString() ?? "-");
        }
    }
}
