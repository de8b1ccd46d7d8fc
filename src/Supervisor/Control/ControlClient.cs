using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Serialization.Metadata;

namespace Cluster.Supervisor.Control;

/// <summary>The CLI's side of the control channel: HTTP over the supervisor's Unix socket.</summary>
internal sealed class ControlClient(string socketPath) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        UseProxy = false,
        ConnectCallback = async (_, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
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

    public Task<StatusReport> StatusAsync() => SendAsync(() => _http.GetFromJsonAsync("v1/status", ControlJson.Default.StatusReport)!)!;

    public Task<(int Status, OperationAnswer Answer)> ReloadAsync() => PostAsync("v1/reload", null, ControlJson.Default.OperationAnswer);

    public Task<(int Status, OperationAnswer Answer)> RollbackAsync() => PostAsync("v1/rollback", null, ControlJson.Default.OperationAnswer);

    public Task<(int Status, OperationAnswer Answer)> ScaleAsync(string target) => PostAsync("v1/scale", JsonContent.Create(new ScaleRequestBody(target), ControlJson.Default.ScaleRequestBody), ControlJson.Default.OperationAnswer);

    public Task<(int Status, StopAnswer Answer)> StopAsync() => PostAsync("v1/stop", null, ControlJson.Default.StopAnswer);

    public void Dispose() => _http.Dispose();

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
    }
}
