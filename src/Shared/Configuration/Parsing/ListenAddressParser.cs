using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Cluster.Shared.Configuration.Parsing;

internal static partial class ListenAddressParser
{
    public const string Expected =
        "a URL such as \"http://0.0.0.0:8080\": scheme http, host an IP address, \"localhost\" or \"*\", port 1-65535, no path";

    public const string ExpectedPublic =
        "a URL such as \"http://0.0.0.0:80\" or \"https://0.0.0.0:443\": scheme http or https, host an IP address, \"localhost\" or \"*\", port 1-65535, no path";

    [GeneratedRegex(@"^(?<scheme>[a-zA-Z][a-zA-Z0-9+.-]*)://(?<host>\[[^\]]*\]|[^:/\[\]]*)(:(?<port>[^/]*))?(?<path>/.*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    /// <summary>Parses a listen URL; on failure returns the reason. https only where <paramref name="allowHttps"/> (the public listeners).</summary>
    public static ListenAddress? TryParse(string text, out string? problem, bool allowHttps = false)
    {
        problem = null;
        var match = Pattern().Match(text.Trim());
        if (!match.Success)
        {
            problem = "not a URL";
            return null;
        }

        var scheme = match.Groups["scheme"].Value.ToLowerInvariant();
        if (scheme != "http" && !(scheme == "https" && allowHttps))
        {
            problem = scheme == "https"
                ? "https is for the public listeners (\"listen\") only; this one is http"
                : $"unsupported scheme \"{scheme}\"";
            return null;
        }

        var listenScheme = scheme == "https" ? ListenScheme.Https : ListenScheme.Http;

        var path = match.Groups["path"].Value;
        if (path.Length > 0 && path != "/")
        {
            problem = $"a path (\"{path}\") is not allowed";
            return null;
        }

        var port = listenScheme == ListenScheme.Https ? 443 : 80;
        if (match.Groups["port"].Success &&
            (!int.TryParse(match.Groups["port"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            problem = $"port \"{match.Groups["port"].Value}\" is not a number from 1 to 65535";
            return null;
        }

        var host = match.Groups["host"].Value;
        var url = $"{scheme}://{host}:{port}";
        switch (host.ToLowerInvariant())
        {
            case "":
                problem = "the host is missing";
                return null;
            case "*" or "+":
                return new ListenAddress(url, ListenHost.AnyInterface, null, port, listenScheme);
            case "localhost":
                return new ListenAddress(url, ListenHost.Localhost, null, port, listenScheme);
        }

        var literal = host.StartsWith('[') ? host[1..^1] : host;
        if (IPAddress.TryParse(literal, out var address) && (host.StartsWith('[') || address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork))
        {
            return new ListenAddress(url, ListenHost.Address, address, port, listenScheme);
        }

        problem = $"host \"{host}\" is not an IP address, \"localhost\" or \"*\" (IPv6 addresses go in brackets: [::1])";
        return null;
    }
}
