using System.Text.Json;
using System.Text.Json.Serialization;
using Cluster.Shared.Configuration;
using Microsoft.AspNetCore.Http;

namespace Cluster.Supervisor.FrontEnd;

/// <summary>
/// For balancers in front of this machine: 200 while a worker is ready, 503 with none or once stopping. Answered by
/// the supervisor itself, on loadBalancerHealth.path of the public listener and on every path of its own listener.
/// </summary>
/// <param name="available">How many ready workers (of every app) have not failed a connection.</param>
internal sealed class LoadBalancerHealthEndpoint(LoadBalancerHealthConfig config, Func<int> available)
{
    private volatile bool _stopping;

    /// <summary>On stop: 503 from now on, then loadBalancerHealth.drainDelay of serving on, so balancers move away first.</summary>
    public async Task AnnounceStopAsync(Microsoft.Extensions.Logging.ILogger logger)
    {
        _stopping = true;
        if (config.DrainDelay > TimeSpan.Zero)
        {
            FrontEndLog.DrainNotice(logger, Logging.HumanDuration.Format(config.DrainDelay));
            await Task.Delay(config.DrainDelay);
        }
    }

    public Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        var ownListener = config.Listen is { } listen && context.Connection.LocalPort == listen.Port;
        return ownListener || (config.Path is { } path && context.Request.Path.Equals(path, StringComparison.Ordinal))
            ? AnswerAsync(context)
            : next();
    }

    private Task AnswerAsync(HttpContext context)
    {
        var ready = available();
        var status = _stopping ? "stopping" : ready == 0 ? "no_worker_ready" : "ok";
        context.Response.StatusCode = status == "ok" ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        var body = JsonSerializer.SerializeToUtf8Bytes(new HealthBody(status, ready), FrontEndJson.Default.HealthBody);
        context.Response.ContentLength = body.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : context.Response.Body.WriteAsync(body).AsTask();
    }
}
