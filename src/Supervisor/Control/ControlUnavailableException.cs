using System.Net.Sockets;

namespace Cluster.Supervisor.Control;

/// <summary>No supervisor answers on the control socket, or the CLI will not talk to what is there; says why in terms an operator can act on.</summary>
internal sealed class ControlUnavailableException : Exception
{
    public ControlUnavailableException(string socketPath, SocketException cause)
        : base(Describe(socketPath, cause), cause) =>
        NotRunning = cause.SocketErrorCode is SocketError.AddressNotAvailable or SocketError.ConnectionRefused or SocketError.HostNotFound;

    /// <summary>Something answers (or listens) but the CLI refuses it, or it refused the CLI.</summary>
    public ControlUnavailableException(string message, Exception? cause = null)
        : base(message, cause)
    {
    }

    /// <summary>True when no supervisor is running (rather than one we may not talk to).</summary>
    public bool NotRunning { get; }

    private static string Describe(string socketPath, SocketException cause) => cause.SocketErrorCode switch
    {
        SocketError.AddressNotAvailable or SocketError.HostNotFound => $"no supervisor is running (no control socket at {socketPath})",
        SocketError.ConnectionRefused => $"no supervisor is running (the control socket {socketPath} was left behind by one that is gone)",
        SocketError.AccessDenied => $"cannot connect to {socketPath}: permission denied (the supervisor runs as another user)",
        _ => $"cannot connect to {socketPath}: {cause.Message}",
    };
}
