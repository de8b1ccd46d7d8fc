using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.Metrics;

internal static partial class MetricsLog
{
    [LoggerMessage(EventId = 800, Level = LogLevel.Information, Message = "metrics listening on {Url}/metrics (Prometheus text format; also GET /metrics on the control socket)")]
    public static partial void Listening(ILogger logger, string url);

    [LoggerMessage(EventId = 801, Level = LogLevel.Critical, Message = "cannot listen for metrics on {Url} (metrics.listen): {Error}")]
    public static partial void CannotListen(ILogger logger, string url, string error);
}
