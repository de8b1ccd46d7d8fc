using Cluster.Supervisor.Cli;

return await SupervisorCli.RunAsync(args);
