using System.Diagnostics;
using System.Net;

namespace Cluster.Supervisor.FrontEnd;

/// <summary>The one HTTP client to all workers, set up as YARP recommends for a forwarder.</summary>
internal static class ForwarderClient
{
    public static HttpMessageInvoker Create() => new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        // No trace headers are added to the workers' requests, and no per-request activity is created.
        ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator(),
        // A worker on loopback either accepts at once or is not listening.
        ConnectTimeout = TimeSpan.FromSeconds(5),
        // HTTP/2 workers: past their concurrent-stream limit (Kestrel's default is 100), open another connection
        // rather than queue requests behind it.
        EnableMultipleHttp2Connections = true,
        RequestHeaderEncodingSelector = (_, _) => HeaderBytes.Encoding,
        ResponseHeaderEncodingSelector = (_, _) => HeaderBytes.Encoding,
    });
}
