using System.Data.Common;
using Cluster.Worker.Hosting;
using Cluster.Worker.Users;

namespace Cluster.Worker.Status;

/// <summary><c>GET /</c> says which worker answered; <c>GET /healthz</c> is for the supervisor and load balancers.</summary>
internal static class StatusEndpoints
{
    public static void MapStatus(this IEndpointRouteBuilder app, WorkerSettings settings)
    {
        var pid = Environment.ProcessId;
        var greeting = $"Hello from worker {settings.WorkerId} (pid {pid})\n";
        app.MapGet("/", () => Results.Text(greeting));

        app.MapGet("/healthz", async (UserRepository users, ILoggerFactory loggers, CancellationToken cancellationToken) =>
        {
            try
            {
                await users.PingAsync(cancellationToken);
                return Results.Ok(new HealthReport("ok", settings.WorkerId, pid));
            }
            catch (DbException e)
            {
                loggers.CreateLogger(typeof(StatusEndpoints)).HealthCheckFailed(e);
                var report = new HealthReport("unhealthy", settings.WorkerId, pid) { Error = $"database unavailable: {e.Message}" };
                return Results.Json(report, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        });
    }
}
