using System.Text;
using Cluster.Supervisor.Control;
using Microsoft.AspNetCore.Http;

namespace Cluster.Supervisor.Metrics;

/// <summary>
/// GET /metrics, on the control socket and on metrics.listen: asks the control loop for its worker table (as
/// `supervisor status` does, without the CPU window), then renders every instrument.
/// </summary>
internal sealed class MetricsEndpoint(StatusCollector status, SupervisorMetrics metrics, PrometheusExporter exporter)
{
    public async Task InvokeAsync(HttpContext context)
    {
        // Two scrapes at once may each render the other's report: both are current, and each render is consistent.
        metrics.Update(await status.CollectAsync(context.RequestAborted, measureCpu: false));
        var body = Encoding.UTF8.GetBytes(exporter.Render());
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = PrometheusText.ContentType;
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        }
    }
}
