using System.Net.Sockets;
using System.Text;
using Cluster.Supervisor.Control;
using Cluster.Supervisor.Hosting;
using Cluster.Supervisor.Processes;
using Cluster.Supervisor.Workers;
using Cluster.Supervisor.Workers.Events;

namespace Cluster.Supervisor.Upgrade;

/// <summary>
/// In a supervisor started by an upgrade: the channel to the supervisor it replaces, and the steps of the takeover
/// that are not the control loop's (the control socket's path, the console). If the predecessor goes away before it
/// has said "take-over" (killed, crashed), this one takes over alone: its workers' parent-death signal has taken the
/// predecessor's workers with it, and nothing else serves the sockets.
/// </summary>
internal sealed class PredecessorLink : IPredecessor, IDisposable
{
    private const int StandardOutput = 1;
    private const int StandardError = 2;

    private readonly HandOver _handOver;
    private readonly Socket _channel;
    private int _granted;

    public PredecessorLink(HandOver handOver)
    {
        _handOver = handOver;
        _channel = new Socket(new SafeSocketHandle(handOver.Channel, ownsHandle: true));
    }

    public int Pid => _handOver.Predecessor.Pid;

    public string Version => _handOver.Predecessor.Version;

    public int Upgrades => _handOver.Predecessor.Upgrades;

    /// <summary>Set once the control socket is listening at its own name; moved to control.socket by <see cref="Complete"/>.</summary>
    public ControlServer? ControlServer { get; set; }

    /// <summary>Starts listening for the predecessor's go-ahead, which is posted to the loop.</summary>
    public void Listen(Action<ControlEvent> post) => _ = ReadAsync(post);

    /// <summary>Every worker is ready and the front end accepts: asks to take over.</summary>
    public void SayReady() => Say($"{ChannelMessages.Ready} {SupervisorVersion.Current}");

    public void Fail(string reason)
    {
        Interlocked.Exchange(ref _granted, 1);
        Say($"{ChannelMessages.Failed} {reason.ReplaceLineEndings(" ")}");
    }

    /// <summary>
    /// Commands reach this supervisor from now on (control.socket renamed over the predecessor's), and its output goes
    /// where the predecessor's did (the journal, a terminal): its stdout and stderr become the ones it was handed,
    /// which ends the pipes through the predecessor.
    /// </summary>
    public void Complete()
    {
        ControlServer?.TakeOverPath();
        Descriptors.MoveOnto(_handOver.Stdout, StandardOutput);
        Descriptors.MoveOnto(_handOver.Stderr, StandardError);
        Descriptors.Close(_handOver.Stdout);
        Descriptors.Close(_handOver.Stderr);
        // .NET's console writers hold copies of descriptors 1 and 2 made when first used (the pipes): new writers over
        // the descriptors as they are now. The console log writes through Console.Out for each event.
        Console.SetOut(new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true });
        Console.SetError(new StreamWriter(Console.OpenStandardError(), new UTF8Encoding(false)) { AutoFlush = true });
        Say(ChannelMessages.Done);
        _channel.Dispose();
    }

    public void Dispose() => _channel.Dispose();

    private async Task ReadAsync(Action<ControlEvent> post)
    {
        using var reader = new StreamReader(new NetworkStream(_channel, ownsSocket: false), Encoding.UTF8);
        try
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                if (line == ChannelMessages.TakeOver && Interlocked.Exchange(ref _granted, 1) == 0)
                {
                    post(new TakeOverGranted(PredecessorGone: false));
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // Closed: by Complete, or the predecessor is gone.
        }

        if (Interlocked.Exchange(ref _granted, 1) == 0)
        {
            post(new TakeOverGranted(PredecessorGone: true));
        }
    }

    private void Say(string message)
    {
        try
        {
            _channel.Send(Encoding.UTF8.GetBytes(message + "\n"));
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The predecessor is gone.
        }
    }
}
