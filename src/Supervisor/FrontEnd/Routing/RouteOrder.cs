namespace Cluster.Supervisor.FrontEnd.Routing;

/// <summary>
/// nginx's server_name precedence as an endpoint's <c>Order</c> (lower wins): an exact host name, then the longest
/// leading wildcard (<c>*.shop.example.com</c> before <c>*.example.com</c>), then no host at all. Among endpoints of
/// one order, endpoint routing's own route precedence picks the most specific path: the longest prefix.
/// </summary>
internal static class RouteOrder
{
    private const int LongestHost = 253;

    public static int Of(string? host) => host switch
    {
        null => 2 + LongestHost,
        _ when host.StartsWith("*.", StringComparison.Ordinal) => 1 + LongestHost - host.Length,
        _ => 0,
    };
}
