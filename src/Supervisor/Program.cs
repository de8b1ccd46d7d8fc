using Cluster.Supervisor.Cli;
using Cluster.Supervisor.Processes;

// The exec shim runs between fork and every worker program: keep it first and free of anything slow to load.
if (args.Length > 0 && args[0] == ExecShim.Verb)
{
    return ExecShim.Run(args);
}

// The signals the supervisor handles are its own, whatever its parent ignored (`nohup`, a shell's background job):
// set before the runtime looks at them, which it does once. Only for `start`: a client command run under nohup keeps
// ignoring SIGHUP, as nohup means.
if (args.Length > 0 && args[0] == StartCommand.Name)
{
    SignalDispositions.DefaultBeforeRuntimeTakesThem(Cluster.Supervisor.Hosting.SignalForwarding.Handled);
}

return await SupervisorCli.RunAsync(args);
