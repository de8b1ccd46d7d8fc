namespace Cluster.Supervisor.Workers;

/// <summary>The outcome of one health check; <see cref="Detail"/> says why it failed ("status 500", "timed out after 2s").</summary>
internal sealed record HealthCheckResult(bool Healthy, string Detail)
{
    public static readonly HealthCheckResult Pass = new(true, "ok");

    public static HealthCheckResult Fail(string detail) => new(false, detail);
}
