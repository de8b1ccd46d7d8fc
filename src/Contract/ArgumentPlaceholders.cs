using System.Globalization;

namespace Cluster.Contract;

/// <summary>
/// <c>{port}</c> and <c>{id}</c> in <c>worker.args</c> and <c>worker.env</c> values are replaced with the worker's
/// port and id, so programs that take their port as an argument (<c>python3 -m http.server {port}</c>) work unchanged.
/// With a shared listening socket, <c>{fd}</c> is replaced with its file descriptor (<c>uvicorn --fd {fd}</c>,
/// <c>gunicorn --bind fd://{fd}</c>).
/// </summary>
public static class ArgumentPlaceholders
{
    public const string Port = "{port}";
    public const string Id = "{id}";
    public const string Fd = "{fd}";

    public static string Expand(string value, int port, int workerId, int? listenFd = null)
    {
        var expanded = value.Replace(Port, port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                            .Replace(Id, workerId.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        return listenFd is int fd ? expanded.Replace(Fd, fd.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal) : expanded;
    }
}
