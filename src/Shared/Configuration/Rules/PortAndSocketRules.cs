using System.Globalization;
using System.Text;
using Cluster.Shared.Configuration.Parsing;

namespace Cluster.Shared.Configuration.Rules;

/// <summary>
/// What depends on values no JSON Schema can compare: the supervisor's own listeners on ports of their own, and
/// socket paths that fit Linux's limit once made absolute.
/// </summary>
internal static class PortAndSocketRules
{
    /// <summary>An app's own listeners: on ports no other listener of the supervisor's has.</summary>
    private static void CheckAppPorts(SupervisorConfig config, Reading reading, IReadOnlyList<ListenerConfig> publicPorts)
    {
        var taken = publicPorts.Select(l => (l.Port, Owner: $"{l.Url} (listen)")).ToList();
        taken.AddRange(new[] { (config.LoadBalancerHealth.Listen, "loadBalancerHealth.listen"), (config.Metrics.Listen, "metrics.listen") }.Where(l => l.Item1 is not null).Select(l => (l.Item1!.Port, Owner: l.Item2)));
        foreach (var app in config.Apps.Where(a => a.HasOwnListeners))
        {
            var at = AppRules.KeyPrefix(reading, app);
            for (var i = 0; i < app.Listeners.Count; i++)
            {
                var port = app.Listeners[i].Port;
                if (taken.FirstOrDefault(t => t.Port == port) is { Owner: not null } owner)
                {
                    var node = reading.Node($"{at}listen[{i}]");
                    reading.Error(node.IsMissing ? reading.Node($"{at}listen") : node, $"port {port.ToString(CultureInfo.InvariantCulture)} is already used by {owner.Owner}; each app's own listener needs a port of its own", ConfigErrorKind.Relation);
                }
            }

            taken.AddRange(app.Listeners.Select(l => (l.Port, Owner: $"{l.Url} (apps.{app.Name}.listen)")));
        }
    }

    public static void Check(SupervisorConfig config, Reading reading)
    {
        var publicPorts = reading.Ok("listen") ? config.Listeners : [];
        CheckAppPorts(config, reading, publicPorts);
        if (config.LoadBalancerHealth.Listen is { } health && publicPorts.FirstOrDefault(l => l.Port == health.Port) is { } taken)
        {
            reading.Error(reading.Node("loadBalancerHealth.listen"), $"port {health.Port.ToString(CultureInfo.InvariantCulture)} is already the public listener {taken.Url}'s (listen); use another port, or \"path\" to answer on the public listener", ConfigErrorKind.Relation);
        }

        if (config.Metrics.Listen is { } metrics)
        {
            var owner = publicPorts.Any(l => l.Port == metrics.Port) ? "listen" : config.LoadBalancerHealth.Listen?.Port == metrics.Port ? "loadBalancerHealth.listen" : null;
            if (owner is not null)
            {
                reading.Error(reading.Node("metrics.listen"), $"port {metrics.Port.ToString(CultureInfo.InvariantCulture)} is already used by {owner}; choose another port", ConfigErrorKind.Relation);
            }
        }

        var socket = config.Control.Socket;
        var bytes = Encoding.UTF8.GetByteCount(socket);
        if (bytes > ControlConfig.MaxSocketPathBytes)
        {
            var node = reading.Node("control.socket");
            reading.Error(node.IsMissing ? reading.Node("control") : node, $"the control socket path \"{socket}\" is {bytes} bytes long; Linux allows at most {ControlConfig.MaxSocketPathBytes}: set control.socket to a shorter path", ConfigErrorKind.Machine);
        }

        if (config.Apps.FirstOrDefault(a => a.Worker.Readiness.Notify) is { } notifying && Encoding.UTF8.GetByteCount(config.Control.NotifyFolder) + 1 + ControlConfig.LongestNotifySocketName > ControlConfig.MaxSocketPathBytes)
        {
            reading.Error(reading.Node($"{AppRules.KeyPrefix(reading, notifying)}worker.readiness.notify"), $"the workers' notify sockets would be made beside the control socket, in \"{config.Control.NotifyFolder}\", whose path is too long for a socket (Linux allows {ControlConfig.MaxSocketPathBytes} bytes); set control.socket to a shorter path", ConfigErrorKind.Machine);
        }
    }
}
