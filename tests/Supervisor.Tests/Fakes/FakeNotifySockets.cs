using Cluster.Supervisor.Workers;
using Cluster.Supervisor.Workers.Notify;

namespace Cluster.Supervisor.Tests.Fakes;

/// <summary>Notify sockets without sockets: a test "sends" a datagram as the worker of a slot would.</summary>
internal sealed class FakeNotifySockets : INotifySockets
{
    private readonly List<Channel> _opened = [];

    /// <summary>When set, Open throws as if the socket could not be created.</summary>
    public bool FailToOpen { get; set; }

    public INotifyChannel Open(int workerId, Cluster.Shared.Configuration.WorkerIdentity? user, Action<NotifyMessage> received)
    {
        if (FailToOpen)
        {
            throw new IOException("cannot create the notify socket /run/x/notify-1-0-1.sock: Permission denied");
        }

        lock (_opened)
        {
            var channel = new Channel(workerId, $"/fake/notify-{workerId}-{_opened.Count + 1}.sock", received);
            _opened.Add(channel);
            return channel;
        }
    }

    /// <summary>Every channel opened so far, in order.</summary>
    public IReadOnlyList<Channel> Opened
    {
        get
        {
            lock (_opened)
            {
                return _opened.ToList();
            }
        }
    }

    /// <summary>The worker of slot <paramref name="workerId"/> (its latest process) sends <paramref name="datagram"/>.</summary>
    public void Send(int workerId, string datagram) => Opened.Last(c => c.WorkerId == workerId).Send(datagram);

    internal sealed class Channel(int workerId, string path, Action<NotifyMessage> received) : INotifyChannel
    {
        public int WorkerId { get; } = workerId;

        public string Path { get; } = path;

        public bool Disposed { get; private set; }

        public void Send(string datagram)
        {
            if (!Disposed)
            {
                received(NotifyMessage.Parse(datagram));
            }
        }

        /// <summary>A datagram that was already queued when the socket closed, handed over late.</summary>
        public void DeliverLate(string datagram) => received(NotifyMessage.Parse(datagram));

        public void Dispose() => Disposed = true;
    }
}
