using System.Globalization;
using Cluster.Supervisor.Logging;
using Microsoft.AspNetCore.Http;

namespace Cluster.Supervisor.FrontEnd.Queueing;

/// <summary>The answers to a request the queue refused, in the front end's JSON problem body (<see cref="ProblemResponses"/>).</summary>
internal static class QueueAnswers
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>nginx's "client closed request", as the proxy handler records a client gone before its answer.</summary>
    private const int ClientClosedRequest = 499;

    public static Task WriteAsync(HttpContext context, QueueOutcome outcome, QueueSettings settings) => outcome switch
    {
        QueueOutcome.Full => ProblemResponses.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "queue_full", $"Every worker is busy and {settings.MaxLength.ToString(CultureInfo.InvariantCulture)} requests are waiting already (queue.maxLength); try again shortly.", RetryAfter),
        QueueOutcome.TimedOut => ProblemResponses.WriteAsync(context, StatusCodes.Status504GatewayTimeout, "queue_timeout", $"No worker was free within {HumanDuration.Format(settings.Timeout)} (queue.timeout)."),
        QueueOutcome.NoWorker => ProblemResponses.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "no_worker_ready", "No worker is ready to serve this request; try again shortly.", RetryAfter),
        QueueOutcome.Canceled => Gone(context),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "an admitted request is forwarded, not answered here"),
    };

    private static Task Gone(HttpContext context)
    {
        // Nobody is left to answer; the status is for the access log and the metrics.
        context.Response.StatusCode = ClientClosedRequest;
        return Task.CompletedTask;
    }
}
