using Cluster.Shared.Configuration.Parsing;
using Cluster.Shared.Processes;

namespace Cluster.Shared.Configuration.Layout.Kinds;

/// <summary>The strings of supervisor.json that are more than strings: paths, HTTP paths, programs, listen addresses.</summary>
internal static class Texts
{
    /// <summary>Not empty, not only blanks.</summary>
    public const string NotBlank = "[^ \\t\\r\\n]";
    private const string LoopbackExpected = "a loopback URL such as \"http://127.0.0.1:9100\" (host 127.0.0.1, [::1] or localhost, port 1-65535, no path)";
    public static TextKind<string> Plain(string expected, string values, bool quoteHint = false) => new(expected, values, quoteHint: quoteHint);

    private const string Label = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    private const string HostExpected = "a host name such as \"shop.example.com\", or \"*.\" and a name for every subdomain of it (\"*.shop.example.com\"); without a port, as the port a request came to is not compared";
    private const string PathExpected = "a path prefix such as \"/api\" or \"/api/v2\": segments of letters, digits and -._~!$&'()+,;=:@, each after a \"/\", none empty and no \"/\" at the end (\"/api\" matches /api and /api/..., never /apix)";

    /// <summary>An app's host (apps.NAME.hosts): a DNS name or an IPv4 address, or "*." before a name; no port.</summary>
    public static readonly TextKind<string> HostName = new(
        $"a string: {HostExpected}",
        "host name",
        [($"^(\\*\\.)?{Label}(\\.{Label})*$", true), ("^.{254,}$", false)],
        text => $"expected {HostExpected}; got {JsonDescriptions.Quote(text)}");

    /// <summary>An app's path prefix (apps.NAME.paths): whole segments, nothing a route pattern reads as a parameter.</summary>
    public static readonly TextKind<string> PathPrefix = new(
        $"a string: {PathExpected}",
        "path prefix",
        [("^(/[A-Za-z0-9._~!$&'()+,;=:@-]+)+$", true), ("(^|/)\\.\\.?(/|$)", false)],
        text => $"expected {PathExpected}; got {JsonDescriptions.Quote(text)}{(text.Length > 1 && text.EndsWith('/') ? $" (write {JsonDescriptions.Quote(text.TrimEnd('/'))})" : text == "/" ? " (omit \"paths\" for every path)" : string.Empty)}");

    public static TextKind<string> HttpPath(string whenAbsent) => new(
        $"a string: the HTTP path to GET, starting with \"/\" {whenAbsent}",
        "HTTP path",
        [("^/[^ \\t\\r\\n\\f\\v]*$", true)],
        text => $"expected an HTTP path starting with \"/\" and without spaces, e.g. \"/healthz\"; got {JsonDescriptions.Quote(text)}");

    /// <summary>A path, made absolute against the config file's folder; a folder (ending in "/") may get <paramref name="folderGetsFileName"/>.</summary>
    public static TextKind<string> FilePath(string expected, Func<Reading, ConfigNode, string, string?>? check = null, (string, bool)[]? rules = null, Func<string, string>? invalid = null, string? folderGetsFileName = null) => new(
        expected,
        "path",
        rules,
        invalid,
        (reading, node, text) =>
        {
            var path = reading.Context.FullPath(folderGetsFileName is not null && text.EndsWith('/') ? text + folderGetsFileName : text);
            return check is null ? path : check(reading, node, path);
        });

    public static TextKind<string> PemFile(string what) =>
        FilePath($"a file path: {what}", rules: [(NotBlank, true)], invalid: _ => $"expected a file path: {what}; got an empty string");

    public static string? ExistingFolder(Reading reading, ConfigNode node, string path) =>
        Directory.Exists(path) ? path : reading.Fail<string>(node, $"folder \"{path}\" does not exist", ConfigErrorKind.Machine);

    /// <summary>The program a worker runs, found now (on PATH, or relative to the config file) so a typo is a config error, not a crash loop.</summary>
    public static TextKind<WorkerCommand> Command(string expected, string what) => new(
        $"a string: {expected}",
        "program name or path",
        [(NotBlank, true)],
        _ => $"required: {what}",
        (reading, node, text) => CommandResolver.Resolve(text, reading.Context.ConfigDirectory, reading.Context.Environment.SearchPath, out var problem) is { } resolved
            ? new WorkerCommand(text, resolved)
            : reading.Fail<WorkerCommand>(node, problem!, ConfigErrorKind.Machine));

    /// <summary>worker.user: a user of this machine, by name or UID, found now (so a typo is a config error, not a start failure).</summary>
    public static TextKind<ConfiguredUser> User() => Account(
        "user",
        "passwd",
        "useradd --system --no-create-home --shell /usr/sbin/nologin",
        (reading, text) => reading.Context.Environment.Accounts.FindUser(text) is { } user ? new ConfiguredUser(text, user) : null);

    /// <summary>worker.group: a group of this machine, by name or GID.</summary>
    public static TextKind<ConfiguredGroup> Group() => Account(
        "group",
        "group",
        "groupadd --system",
        (reading, text) => reading.Context.Environment.Accounts.FindGroup(text) is { } group ? new ConfiguredGroup(text, group) : null);

    private static TextKind<T> Account<T>(string what, string database, string create, Func<Reading, string, T?> find)
        where T : class
    {
        var expected = $"a {what} name or numeric ID, e.g. \"www-data\" or \"33\"";
        return new(
            $"a string: {expected}",
            $"{what} name or ID",
            [(AccountName, true)],
            text => $"expected {expected} (no spaces, colons or slashes); got {JsonDescriptions.Quote(text)}",
            (reading, node, text) => find(reading, text) ?? reading.Fail<T>(
                node,
                $"no {what} {(text.All(char.IsAsciiDigit) ? $"with ID {text}" : JsonDescriptions.Quote(text))} on this machine (getent {database} {text} finds none): name an existing one, or create it ({create} {(text.All(char.IsAsciiDigit) ? "NAME" : text)})",
                ConfigErrorKind.Machine),
            quoteHint: true);
    }

    /// <summary>A user or group name as useradd and NSS accept them, or a number: no blanks, no ":" (the passwd separator), no "/".</summary>
    private const string AccountName = "^[^\\s:/]+$";

    /// <summary>A listener of the supervisor's own (health, metrics): an http:// URL; with <paramref name="loopback"/> on a loopback address.</summary>
    public static TextKind<ListenAddress> Address(bool loopback) => new(
        loopback ? LoopbackExpected : ListenUrls.ExpectedHttp,
        loopback ? "loopback `http://` URL" : "`http://` URL",
        [(ListenUrls.Pattern(https: false), true), .. loopback ? [(ListenUrls.LoopbackPattern, true)] : Array.Empty<(string, bool)>()],
        text => ListenUrls.TryParse(text, https: false, out var problem) is null
            ? $"expected {(loopback ? LoopbackExpected : ListenUrls.ExpectedHttp)}; got {JsonDescriptions.Quote(text)}: {problem}"
            // Anyone who can reach the port could read the metrics: worker PIDs, traffic, memory.
            : $"expected {LoopbackExpected}; got {JsonDescriptions.Quote(text)}: metrics are served without authentication, so only on a loopback address (scrape from another machine through a tunnel or an authenticating proxy, or use the control socket)",
        (_, _, text) => ListenUrls.TryParse(text, https: false, out _));
}
