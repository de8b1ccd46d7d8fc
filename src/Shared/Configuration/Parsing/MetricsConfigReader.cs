using System.Globalization;

namespace Cluster.Shared.Configuration.Parsing;

/// <summary>The "metrics" section: an optional loopback listener for Prometheus.</summary>
internal static class MetricsConfigReader
{
    private const string Expected = "a loopback URL such as \"http://127.0.0.1:9100\" (host 127.0.0.1, [::1] or localhost, port 1-65535, no path)";

    public static MetricsConfig Read(ConfigReader reader, ConfigNode node, IReadOnlyList<ListenerConfig> publicListeners, ListenAddress? healthListen)
    {
        var keys = reader.Object(node, SupervisorConfigReader.MetricsKeys);
        var listenNode = keys["listen"];
        if (reader.String(listenNode, Expected) is not { } text)
        {
            return new MetricsConfig();
        }

        var listen = ListenAddressParser.TryParse(text, out var problem);
        if (listen is null)
        {
            reader.Error(listenNode, $"expected {Expected}; got {JsonDescriptions.Quote(text)}: {problem}");
            return new MetricsConfig();
        }

        if (!IsLoopback(listen))
        {
            // Anyone who can reach the port could read the metrics: worker PIDs, traffic, memory.
            reader.Error(listenNode, $"expected {Expected}; got {JsonDescriptions.Quote(text)}: metrics are served without authentication, so only on a loopback address (scrape from another machine through a tunnel or an authenticating proxy, or use the control socket)");
            return new MetricsConfig();
        }

        foreach (var (other, key) in publicListeners.Select(l => ((ListenAddress?)l.Endpoint, "listen")).Append((healthListen, "loadBalancerHealth.listen")))
        {
            if (other is not null && other.Port == listen.Port)
            {
                reader.Error(listenNode, $"port {listen.Port.ToString(CultureInfo.InvariantCulture)} is already used by {key}; choose another port");
                return new MetricsConfig();
            }
        }

        return new MetricsConfig { Listen = listen };
    }

    private static bool IsLoopback(ListenAddress listen) =>
        listen.Host == ListenHost.Localhost || (listen.Host == ListenHost.Address && System.Net.IPAddress.IsLoopback(listen.Address!));
}
