using System.Net;

namespace Cluster.Supervisor.Workers.Readiness;

/// <summary>Ready once GET http://127.0.0.1:PORT/PATH answers 2xx: for workers that listen before they can serve.</summary>
internal sealed class HttpReadinessProbe(string path, TimeSpan interval, TimeProvider time, HttpMessageInvoker client) : IReadinessProbe
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(2);

    public string Description => $"GET {path}";

    public async Task WaitUntilReadyAsync(int port, CancellationToken cancellationToken)
    {
        var uri = new Uri($"http://127.0.0.1:{port}{path}");
        while (true)
        {
            using (var attempt = new CancellationTokenSource(AttemptTimeout, time))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(attempt.Token, cancellationToken))
            using (var request = new HttpRequestMessage(HttpMethod.Get, uri) { Version = HttpVersion.Version11 })
            {
                // No pooled connection should outlive the check.
                request.Headers.ConnectionClose = true;
                try
                {
                    using var response = await client.SendAsync(request, linked.Token);
                    if (response.IsSuccessStatusCode)
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet, or closed the connection.
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // This attempt timed out; try again.
                }
            }

            await Task.Delay(interval, time, cancellationToken);
        }
    }
}
