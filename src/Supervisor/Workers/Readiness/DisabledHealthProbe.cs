namespace Cluster.Supervisor.Workers.Readiness;

/// <summary>Health checks are off (no health.path): the loop never asks, and would hear "healthy" if it did.</summary>
internal sealed class DisabledHealthProbe : IHealthProbe
{
    public Task<HealthCheckResult> CheckAsync(int port, CancellationToken cancellationToken) => Task.FromResult(HealthCheckResult.Pass);
}
