using Cluster.Supervisor.Cli;
using Cluster.Supervisor.Processes;

// The exec shim runs between fork and every worker program: keep it first and free of anything slow to load.
if (args.Length > 0 && args[0] == ExecShim.Verb)
{
    return ExecShim.Run(args);
}

return await SupervisorCli.RunAsync(args);
