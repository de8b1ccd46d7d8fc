using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Cluster.Shared.Configuration.Parsing;

/// <summary>
/// Listen URLs: "http://0.0.0.0:8080", "https://[::]:443", "http://localhost", "http://*:80". Which strings are URLs is
/// stated once, as a regular expression (<see cref="Pattern"/>) that the JSON Schema carries too; the step-by-step
/// parse only finds the words for what is wrong.
/// </summary>
internal static partial class ListenUrls
{
    public const string ExpectedHttp =
        "a URL such as \"http://0.0.0.0:8080\": scheme http, host an IP address, \"localhost\" or \"*\", port 1-65535, no path";

    public const string ExpectedPublic =
        "a URL such as \"http://0.0.0.0:80\" or \"https://0.0.0.0:443\": scheme http or https, host an IP address, \"localhost\" or \"*\", port 1-65535, no path";

    private const string Octet = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private const string Ipv4 = $@"{Octet}(?:\.{Octet}){{3}}";
    private const string H16 = "[0-9a-fA-F]{1,4}";
    private const string Ls32 = $"(?:{H16}:{H16}|{Ipv4})";

    // RFC 3986, section 3.2.2: every textual form of an IPv6 address.
    private const string Ipv6 =
        $"(?:(?:{H16}:){{6}}{Ls32}|::(?:{H16}:){{5}}{Ls32}|(?:{H16})?::(?:{H16}:){{4}}{Ls32}|(?:(?:{H16}:){{0,1}}{H16})?::(?:{H16}:){{3}}{Ls32}"
        + $"|(?:(?:{H16}:){{0,2}}{H16})?::(?:{H16}:){{2}}{Ls32}|(?:(?:{H16}:){{0,3}}{H16})?::{H16}:{Ls32}|(?:(?:{H16}:){{0,4}}{H16})?::{Ls32}"
        + $"|(?:(?:{H16}:){{0,5}}{H16})?::{H16}|(?:(?:{H16}:){{0,6}}{H16})?::)";

    private const string Localhost = "[lL][oO][cC][aA][lL][hH][oO][sS][tT]";
    private const string Port = "0*(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])";

    /// <summary>The loopback hosts: 127.0.0.0/8, [::1] and localhost.</summary>
    public const string LoopbackPattern = $@"^[ \t]*[hH][tT][tT][pP]://(?:127(?:\.{Octet}){{3}}|\[::1\]|{Localhost})(?::{Port})?/?[ \t]*$";

    /// <summary>One URL, anchored; https only for the public listeners.</summary>
    public static string Pattern(bool https) => $"^{Body(https)}$";

    /// <summary>One URL or several separated by commas, as SUPERVISOR_LISTEN and --listen give them.</summary>
    public static string ListPattern => $"^{Body(https: true)}(?:,{Body(https: true)})*$";

    [GeneratedRegex(@"^(?<scheme>[a-zA-Z][a-zA-Z0-9+.-]*)://(?<host>\[[^\]]*\]|[^:/\[\]]*)(:(?<port>[^/]*))?(?<path>/.*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Parts();

    /// <summary>Parses a listen URL; on failure returns the reason.</summary>
    public static ListenAddress? TryParse(string text, bool https, out string? problem)
    {
        problem = Problem(text.Trim(' ', '\t'), https);
        if (!Regex.IsMatch(text, Pattern(https), RegexOptions.CultureInvariant))
        {
            problem ??= "not a URL";
            return null;
        }

        var match = Parts().Match(text.Trim(' ', '\t'));
        var scheme = match.Groups["scheme"].Value.ToLowerInvariant();
        var listenScheme = scheme == "https" ? ListenScheme.Https : ListenScheme.Http;
        var port = match.Groups["port"].Success ? int.Parse(match.Groups["port"].Value, NumberStyles.None, CultureInfo.InvariantCulture) : listenScheme == ListenScheme.Https ? 443 : 80;
        var host = match.Groups["host"].Value;
        var url = $"{scheme}://{host}:{port}";
        return host.ToLowerInvariant() switch
        {
            "*" or "+" => new ListenAddress(url, ListenHost.AnyInterface, null, port, listenScheme),
            "localhost" => new ListenAddress(url, ListenHost.Localhost, null, port, listenScheme),
            _ => new ListenAddress(url, ListenHost.Address, IPAddress.Parse(host.Trim('[', ']')), port, listenScheme),
        };
    }

    private static string Body(bool https) =>
        $@"[ \t]*[hH][tT][tT][pP]{(https ? "[sS]?" : string.Empty)}://(?:\[{Ipv6}\]|{Ipv4}|{Localhost}|\*|\+)(?::{Port})?/?[ \t]*";

    /// <summary>The words for what is wrong with a string that is not a URL; null when no part is found wrong.</summary>
    private static string? Problem(string text, bool https)
    {
        var match = Parts().Match(text);
        if (!match.Success)
        {
            return "not a URL";
        }

        var scheme = match.Groups["scheme"].Value.ToLowerInvariant();
        if (scheme != "http" && !(scheme == "https" && https))
        {
            return scheme == "https" ? "https is for the public listeners (\"listen\") only; this one is http" : $"unsupported scheme \"{scheme}\"";
        }

        if (match.Groups["path"].Value is { Length: > 0 } path && path != "/")
        {
            return $"a path (\"{path}\") is not allowed";
        }

        if (match.Groups["port"].Success && !Regex.IsMatch(match.Groups["port"].Value, $"^{Port}$", RegexOptions.CultureInvariant))
        {
            return $"port \"{match.Groups["port"].Value}\" is not a number from 1 to 65535";
        }

        var host = match.Groups["host"].Value;
        return host.Length == 0 ? "the host is missing"
            : !Regex.IsMatch(host, $@"^(?:\[{Ipv6}\]|{Ipv4}|{Localhost}|\*|\+)$", RegexOptions.CultureInvariant)
                ? $"host \"{host}\" is not an IP address, \"localhost\" or \"*\" (IPv6 addresses go in brackets: [::1])"
                : null;
    }
}
