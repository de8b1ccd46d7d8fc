using Cluster.Supervisor.Workers.Notify;

namespace Cluster.Supervisor.Workers;

/// <summary>Gives each worker process its own notify socket (readiness.notify), owned by the supervisor.</summary>
internal interface INotifySockets
{
    /// <summary>Opens a socket for one process of slot <paramref name="workerId"/>; every datagram it receives goes to <paramref name="received"/>.</summary>
    /// <exception cref="IOException">The socket could not be created.</exception>
    INotifyChannel Open(int workerId, Action<NotifyMessage> received);
}

/// <summary>One worker process's notify socket; disposing closes and removes it.</summary>
internal interface INotifyChannel : IDisposable
{
    /// <summary>The path given to the worker as NOTIFY_SOCKET.</summary>
    string Path { get; }
}
