using Cluster.Supervisor.Workers.Notify;

namespace Cluster.Supervisor.Workers;

/// <summary>Gives each worker process its own notify socket (readiness.notify), which only it (and the supervisor) may use.</summary>
internal interface INotifySockets
{
    /// <summary>
    /// Opens a socket for one process of slot <paramref name="workerId"/>, which runs as <paramref name="user"/> (null:
    /// as the supervisor); every datagram it receives goes to <paramref name="received"/>.
    /// </summary>
    /// <exception cref="IOException">The socket could not be created, or not given to the user.</exception>
    INotifyChannel Open(int workerId, Shared.Configuration.WorkerIdentity? user, Action<NotifyMessage> received);
}

/// <summary>One worker process's notify socket; disposing closes and removes it.</summary>
internal interface INotifyChannel : IDisposable
{
    /// <summary>The path given to the worker as NOTIFY_SOCKET.</summary>
    string Path { get; }
}
