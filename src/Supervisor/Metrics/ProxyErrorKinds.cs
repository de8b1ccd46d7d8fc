using Yarp.ReverseProxy.Forwarder;

namespace Cluster.Supervisor.Metrics;

/// <summary>Maps YARP's forwarder errors to the few kinds an operator tells apart, and names them for Prometheus.</summary>
internal static class ProxyErrorKinds
{
    public static readonly ProxyErrorKind[] All = Enum.GetValues<ProxyErrorKind>();

    public static ProxyErrorKind Classify(ForwarderError error, bool connectionRefused) => error switch
    {
        ForwarderError.Request when connectionRefused => ProxyErrorKind.ConnectionRefused,
        ForwarderError.Request or ForwarderError.ResponseHeaders => ProxyErrorKind.Request,
        ForwarderError.RequestTimedOut => ProxyErrorKind.Timeout,
        ForwarderError.RequestBodyClient or ForwarderError.RequestBodyDestination => ProxyErrorKind.RequestBody,
        ForwarderError.ResponseBodyDestination => ProxyErrorKind.ResponseBody,
        ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.ResponseBodyCanceled or ForwarderError.ResponseBodyClient
            or ForwarderError.UpgradeRequestCanceled or ForwarderError.UpgradeResponseCanceled => ProxyErrorKind.ClientAborted,
        _ => ProxyErrorKind.Other,
    };

    public static string Label(ProxyErrorKind kind) => kind switch
    {
        ProxyErrorKind.ConnectionRefused => "connection_refused",
        ProxyErrorKind.Request => "request",
        ProxyErrorKind.Timeout => "timeout",
        ProxyErrorKind.RequestBody => "request_body",
        ProxyErrorKind.ResponseBody => "response_body",
        ProxyErrorKind.ClientAborted => "client_aborted",
        _ => "other",
    };
}
