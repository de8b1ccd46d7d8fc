using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Cluster.Supervisor.Hosting.Listening;
using Cluster.Supervisor.Processes;
using Cluster.Supervisor.Workers;
using Cluster.Supervisor.Workers.Events;

namespace Cluster.Supervisor.Upgrade;

/// <summary>
/// The new supervisor process of an upgrade, seen from the one it replaces: its output (which comes through here until
/// it has taken over), the channel to it, and how to stop it and everything it started if it fails.
/// </summary>
internal sealed class Successor : ISuccessor
{
    private readonly ChildProcess _process;
    private readonly Socket _channel;
    private readonly string _runtimeFolder;
    private readonly Action<ControlEvent> _post;
    private readonly ListenSockets _sockets;

    /// <param name="sockets">This supervisor's listening sockets, all handed to the new one: accepting on them stops here once it has taken over.</param>
    public Successor(ChildProcess process, Socket channel, ListenSockets sockets, string runtimeFolder, Action<ControlEvent> post)
    {
        _process = process;
        _sockets = sockets;
        _channel = channel;
        _runtimeFolder = runtimeFolder;
        _post = post;
        _ = ReadAsync();
        _process.Exited.ContinueWith(
            exit => _post(new SuccessorFailed(this, $"it ended ({exit.Result.Describe()}) before it took over")),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously | TaskContinuationOptions.OnlyOnRanToCompletion,
            TaskScheduler.Default);
    }

    public int Pid => _process.Pid;

    public IReadOnlyList<string> RecentOutput => _process.RecentOutput;

    public void GrantTakeOver() => Say(ChannelMessages.TakeOver);

    public async Task StopAsync(TimeSpan grace)
    {
        _process.TrySignal(PosixSignals.SIGTERM);
        try
        {
            await _process.Exited.WaitAsync(grace);
        }
        catch (TimeoutException)
        {
            Kill();
            await _process.Exited.WaitAsync(ControlLoop.KillWait).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        RemoveLeftovers();
    }

    /// <summary>
    /// SIGKILL to the process and to every descendant (its workers, their children), found before any is killed: the
    /// workers would die with it anyway (their parent-death signal), but not a child of a worker in a group of its own.
    /// </summary>
    public void Kill()
    {
        foreach (var pid in ProcStat.Family(Pid, ProcStat.ParentsOfAll()))
        {
            PosixSignals.Send(pid, PosixSignals.SIGKILL);
        }

        RemoveLeftovers();
    }

    /// <summary>The files a killed supervisor could not remove: its control socket (not yet moved into place) and its workers' notify sockets.</summary>
    private void RemoveLeftovers()
    {
        File.Delete(Path.Combine(_runtimeFolder, SuccessorFiles.ControlSocketName(Pid)));
        foreach (var notify in Directory.EnumerateFiles(_runtimeFolder, string.Create(CultureInfo.InvariantCulture, $"notify-{Pid}-*.sock")))
        {
            File.Delete(notify);
        }
    }

    private async Task ReadAsync()
    {
        using var reader = new StreamReader(new NetworkStream(_channel, ownsSocket: true), Encoding.UTF8);
        try
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                var (word, rest) = line.IndexOf(' ', StringComparison.Ordinal) is var space and >= 0 ? (line[..space], line[(space + 1)..]) : (line, string.Empty);
                switch (word)
                {
                    case ChannelMessages.Ready:
                        _post(new SuccessorReady(this, rest));
                        break;
                    case ChannelMessages.Done:
                        // The metrics port too, at once: the front end's own sockets stop with its hand-over.
                        _sockets.StopAcceptingAll();
                        _post(new SuccessorTookOver(this));
                        break;
                    case ChannelMessages.Failed:
                        _post(new SuccessorFailed(this, rest));
                        break;
                }
            }
        }
        catch (IOException)
        {
            // The process is gone; its exit is reported by Exited.
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
            // It is gone; its exit is reported by Exited.
        }
    }
}
