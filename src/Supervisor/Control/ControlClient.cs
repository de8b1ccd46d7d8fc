using System.Globalization;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Net.Sockets;
using System.Text.Json.Serialization.Metadata;
using Cluster.Supervisor.FileSafety;

namespace Cluster.Supervisor.Control;

/// <summary>
/// The CLI's side of the control channel: HTTP over the supervisor's Unix socket. Before a command goes out, the CLI
/// checks whom it talks to: the socket file must belong to the caller's user or root (or, for root, to the service user
/// root gave the socket's folder), and so must the process that accepted the connection (SO_PEERCRED, from the
/// kernel); otherwise another user could have put a socket of their own at the path and answered `stop` with "stopped"
/// while the real supervisor runs on.
/// </summary>
internal sealed class ControlClient(string socketPath) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        UseProxy = false,
        ConnectCallback = async (_, cancellationToken) =>
        {
            var owner = CheckSocketOwner(socketPath);
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                CheckPeer(socketPath, socket, owner);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    {
        BaseAddress = new Uri("http://supervisor/"),
        // Reload and scale answer when they are done; their own timeouts (readiness, drain) bound them.
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public string SocketPath => socketPath;

    public Task<StatusReport> StatusAsync(CancellationToken cancellationToken = default) =>
        SendAsync(() => _http.GetFromJsonAsync("v1/status", ControlJson.Default.StatusReport, cancellationToken)!)!;

    /// <summary>One slot and its last exits; null (with the supervisor's reason) when it has no worker of that id.</summary>
    public Task<(WorkerDetailReport? Worker, string? Problem)> WorkerAsync(int id, string? app = null) => SendAsync(async () =>
    {
        using var response = await _http.GetAsync($"v1/workers/{id.ToString(CultureInfo.InvariantCulture)}{AppQuery(app, "?")}");
        return response.IsSuccessStatusCode
            ? (await response.Content.ReadFromJsonAsync(ControlJson.Default.WorkerDetailReport), null)
            : ((WorkerDetailReport?)null, (await response.Content.ReadFromJsonAsync(ControlJson.Default.OperationAnswer))?.Message);
    });

    /// <summary>
    /// GET /v1/logs, line by line as the supervisor sends them. Ends after the last line (and, when following, after
    /// the end record, or early when the connection breaks).
    /// </summary>
    public async IAsyncEnumerable<LogStreamRecord> LogsAsync(int lines, bool follow, int? worker, bool output, string? app = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var query = $"v1/logs?lines={lines.ToString(CultureInfo.InvariantCulture)}&follow={(follow ? 1 : 0)}&output={(output ? 1 : 0)}"
            + (worker is int id ? $"&worker={id.ToString(CultureInfo.InvariantCulture)}" : string.Empty)
            + AppQuery(app, "&");
        using var response = await SendAsync(() => _http.GetAsync(query, HttpCompletionOption.ResponseHeadersRead, cancellationToken));
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        while (await ReadLineAsync(reader, cancellationToken) is { } line)
        {
            if (LogStreamRecord.Parse(line) is { } record)
            {
                yield return record;
            }
        }
    }

    /// <param name="app">The app to reload; null for every app whose config changed.</param>
    public Task<(int Status, OperationAnswer Answer)> ReloadAsync(string? app = null) => PostAsync($"v1/reload{AppQuery(app, "?")}", null, ControlJson.Default.OperationAnswer);

    public Task<(int Status, OperationAnswer Answer)> RollbackAsync(string? app = null) => PostAsync($"v1/rollback{AppQuery(app, "?")}", null, ControlJson.Default.OperationAnswer);

    public Task<(int Status, OperationAnswer Answer)> ScaleAsync(string target, string? app = null) => PostAsync($"v1/scale{AppQuery(app, "?")}", JsonContent.Create(new ScaleRequestBody(target), ControlJson.Default.ScaleRequestBody), ControlJson.Default.OperationAnswer);

    /// <param name="worker">One slot to restart; null for every slot of the app.</param>
    public Task<(int Status, OperationAnswer Answer)> RestartAsync(string? app, int? worker) =>
        PostAsync($"v1/restart?{(app is null ? string.Empty : $"app={Uri.EscapeDataString(app)}")}{(worker is int id ? $"&worker={id.ToString(CultureInfo.InvariantCulture)}" : string.Empty)}", null, ControlJson.Default.OperationAnswer);

    /// <summary>"?app=NAME" (or "&amp;app=NAME" after <paramref name="separator"/> "&amp;"), nothing without an app.</summary>
    private static string AppQuery(string? app, string separator) => app is null ? string.Empty : $"{separator}app={Uri.EscapeDataString(app)}";

    public Task<(int Status, StopAnswer Answer)> StopAsync() => PostAsync("v1/stop", null, ControlJson.Default.StopAnswer);

    public Task<(int Status, UpgradeAnswer Answer)> UpgradeAsync() => PostAsync("v1/upgrade", null, ControlJson.Default.UpgradeAnswer);

    public void Dispose() => _http.Dispose();

    /// <summary>The next line, or null at the end of the stream or when the connection broke.</summary>
    private static async Task<string?> ReadLineAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadLineAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            return null;
        }
    }

    private Task<(int Status, T Answer)> PostAsync<T>(string path, HttpContent? body, JsonTypeInfo<T> answer) => SendAsync(async () =>
    {
        using var response = await _http.PostAsync(path, body);
        return ((int)response.StatusCode, (await response.Content.ReadFromJsonAsync(answer))!);
    });

    private async Task<T> SendAsync<T>(Func<Task<T>> send)
    {
        try
        {
            return await send();
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException socket)
        {
            throw new ControlUnavailableException(socketPath, socket);
        }
        catch (HttpRequestException e) when (e.InnerException is ControlUnavailableException refused)
        {
            throw refused;
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.ResponseEnded or HttpRequestError.Unknown)
        {
            // The supervisor closes a connection from a user other than its own and root before answering.
            throw new ControlUnavailableException($"the supervisor at {socketPath} closed the connection without answering: it answers only its own user and root (or it stopped just now)", e);
        }
    }

    /// <summary>The socket file must be a socket (checked without following a link) of a user the caller may trust; returns its owner.</summary>
    private static uint? CheckSocketOwner(string path)
    {
        if (FileStatus.OfPath(path) is not { } status)
        {
            return null; // connect reports that no supervisor is running.
        }

        if (status.Kind != FileKind.Socket)
        {
            throw new ControlUnavailableException($"refusing to use {path}: it is not a socket (a file or a symbolic link); no supervisor of yours listens there");
        }

        if (!IsTrusted(path, status.Owner))
        {
            throw new ControlUnavailableException($"refusing to use {path}: the socket belongs to {Users.Describe(status.Owner)}, not to {Users.SelfOrRoot}, so no supervisor of yours made it; nothing was sent. Find out who made it, or give --socket");
        }

        return status.Owner;
    }

    /// <summary>
    /// The caller and root are trusted. Root also trusts the user a service runs as (systemd's User= with
    /// RuntimeDirectory=): the owner of the socket's folder, when that folder is writable by no one else and lies in a
    /// folder of root's that no one else may write (/run/cluster in /run): only root can have given that user the folder.
    /// </summary>
    private static bool IsTrusted(string path, uint owner)
    {
        if (Users.IsSelfOrRoot(owner))
        {
            return true;
        }

        var folder = Path.GetDirectoryName(path)!;
        return Users.Current == Users.Root
            && FileStatus.OfPath(folder) is { Kind: FileKind.Directory, WritableByOthers: false } service && service.Owner == owner
            && FileStatus.OfPath(Path.GetDirectoryName(folder) ?? "/") is { Kind: FileKind.Directory, WritableByOthers: false, Owner: Users.Root };
    }

    /// <summary>The process that accepted the connection must run as the caller's user or root.</summary>
    private static void CheckPeer(string path, Socket socket, uint? socketOwner)
    {
        var peer = PeerCredentials.PeerUid(socket);
        if (peer is not { } uid || !(Users.IsSelfOrRoot(uid) || uid == socketOwner))
        {
            throw new ControlUnavailableException($"refusing to talk to {path}: the process listening there runs as {(peer is { } other ? Users.Describe(other) : "an unknown user")}, not as {Users.SelfOrRoot}; nothing was sent");
        }
    }
}
