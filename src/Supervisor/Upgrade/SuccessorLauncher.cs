using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using Cluster.Contract;
using Cluster.Supervisor.Hosting.Listening;
using Cluster.Supervisor.Hosting.Systemd;
using Cluster.Supervisor.Processes;
using Cluster.Supervisor.Workers;
using Cluster.Supervisor.Workers.Events;
using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.Upgrade;

/// <summary>
/// Starts the new supervisor of an upgrade: the command this one was started with, inheriting a descriptor of every
/// listening socket (each made inheritable for this one start, on the spawn thread that starts every child, so no
/// worker started meanwhile gets one), one end of a socket pair to talk over, and this supervisor's stdout and stderr.
/// Its own stdout and stderr are pipes read here until it takes over: what it prints goes to this supervisor's log
/// (and, when it fails, to the answer of `supervisor upgrade`). systemd's NOTIFY_SOCKET and WATCHDOG_USEC, which this
/// supervisor took out of its environment at start, are given back to it: it speaks to systemd once it is the main
/// process.
/// </summary>
internal sealed class SuccessorLauncher(
    SupervisorCommand command,
    ListenSockets sockets,
    SpawnThread spawnThread,
    SystemdEnvironment systemd,
    PredecessorRecord self,
    string runtimeFolder,
    TimeProvider time,
    ILogger logger) : IUpgrader
{
    private const int StandardOutput = 1;
    private const int StandardError = 2;

    public ISuccessor Start(Action<ControlEvent> post)
    {
        var (ours, theirs) = Descriptors.SocketPair();
        var channel = new Socket(new SafeSocketHandle(ours, ownsHandle: true));
        try
        {
            var process = spawnThread.Invoke(() => StartProcess(theirs));
            return new Successor(process, channel, sockets, runtimeFolder, post);
        }
        catch
        {
            channel.Dispose();
            throw;
        }
        finally
        {
            Descriptors.Close(theirs);
        }
    }

    private ChildProcess StartProcess(int channel)
    {
        var inherited = new List<int>();
        int Inheritable(int fd)
        {
            var duplicate = Descriptors.DuplicateForChild(fd);
            inherited.Add(duplicate);
            return duplicate;
        }

        try
        {
            var handOver = new HandOver(
                self,
                [.. sockets.All.Select(s => new HandedSocket(Inheritable((int)s.Socket.SafeHandle.DangerousGetHandle()), s.Key))],
                Inheritable(channel),
                Inheritable(StandardOutput),
                Inheritable(StandardError));
            var environment = new Dictionary<string, string>
            {
                [HandOver.Variable] = JsonSerializer.Serialize(handOver, HandOverJson.Default.HandOver),
            };
            if (systemd.NotifySocket is { } notify)
            {
                environment[SocketActivation.NotifySocket] = notify;
            }

            if (systemd.WatchdogTimeout is { } watchdog)
            {
                environment[SystemdEnvironment.WatchdogUsecVariable] = ((long)watchdog.TotalMicroseconds).ToString(CultureInfo.InvariantCulture);
            }

            return ChildProcess.Start(
                new ChildProcessStartInfo(command.FileName, command.Arguments, environment, Environment.CurrentDirectory),
                line => UpgradeLog.SuccessorOutput(logger, line.Pid, line.Stream == OutputStream.Stdout ? "out" : "err", line.Text),
                time);
        }
        finally
        {
            foreach (var fd in inherited)
            {
                Descriptors.Close(fd);
            }
        }
    }
}
