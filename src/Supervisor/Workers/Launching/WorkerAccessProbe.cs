using Cluster.Shared.Configuration;
using Cluster.Supervisor.Processes;

namespace Cluster.Supervisor.Workers.Launching;

/// <summary>
/// For `check`: whether the workers could start as worker.user. The exec shim, in its probe mode, does what a worker's
/// start does up to the exec (becomes the user, enters worker.cwd) and then asks the kernel whether the user may
/// execute worker.command (access(2), which weighs modes, ACLs and every folder on the way as the exec would), without
/// running it. A guess from file modes read here would miss ACLs and supplementary groups.
/// </summary>
internal static class WorkerAccessProbe
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Why a worker's start would fail; null when it would not (or when the workers do not change user).</summary>
    public static string? Check(WorkerConfig worker)
    {
        if (WorkerUsers.SwitchTo(worker) is not { } user)
        {
            return null;
        }

        var status = ExecStatusPipe.Create();
        ChildProcess probe;
        try
        {
            var target = new ChildProcessStartInfo(worker.Command, [], new Dictionary<string, string>(), worker.WorkingDirectory);
            var options = new ExecShimOptions(Environment.ProcessId, StatusFd: status.WriteFd, RunAs: ShimUser.From(user), WorkingDirectory: worker.WorkingDirectory, Probe: true);
            probe = ChildProcess.Start(ExecShim.Wrap(target, ExecShim.CurrentBinary(), options), _ => { }, TimeProvider.System, status);
        }
        catch (ChildProcessStartException e)
        {
            status.Dispose();
            return e.Message;
        }
        finally
        {
            status.CloseWriteEnd();
        }

        using (probe)
        {
            // Waited for on this thread, which forked the probe: its parent-death signal would fire if the thread ended.
            var exit = probe.Exited.WaitAsync(Patience).GetAwaiter().GetResult();
            return exit.StartFailure ?? (exit.ExitCode == 0 ? null : $"the probe of {user} ended with {exit.Describe()}");
        }
    }
}
