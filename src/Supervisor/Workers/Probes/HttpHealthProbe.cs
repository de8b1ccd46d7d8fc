using Cluster.Shared.Configuration;
using Cluster.Supervisor.Logging;

namespace Cluster.Supervisor.Workers.Probes;

/// <summary>One GET of health.path, answered 2xx within health.timeout, or it failed (and says how).</summary>
internal sealed class HttpHealthProbe(TimeProvider time, ProbeClients clients) : IHealthProbe
{
    public async Task<HealthCheckResult> CheckAsync(int port, HealthConfig config, WorkerProtocol protocol, CancellationToken cancellationToken)
    {
        var path = config.HttpPath ?? "/";
        var timeout = config.Timeout;
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        using var request = ProbeClient.Get(port, path, protocol);
        try
        {
            using var response = await clients.For(protocol).SendAsync(request, linked.Token);
            return response.IsSuccessStatusCode
                ? HealthCheckResult.Pass
                : HealthCheckResult.Fail($"GET {path} answered {(int)response.StatusCode}");
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return HealthCheckResult.Fail($"GET {path} got no answer within {HumanDuration.Format(timeout)}");
        }
        catch (HttpRequestException e)
        {
            return HealthCheckResult.Fail($"GET {path} failed: {e.Message}");
        }
    }
}
