using System.CommandLine;

namespace Cluster.Supervisor.Cli;

/// <summary>The `supervisor` command line.</summary>
internal static class SupervisorCli
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("Cluster supervisor: runs N copies of an HTTP server behind one public port and keeps them alive.")
        {
            StartCommand.Create(),
            CheckCommand.Create(),
            ConfigCommand.Create(),
        };
        foreach (var command in ControlCommands.Create())
        {
            root.Subcommands.Add(command);
        }

        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors)
            {
                await Console.Error.WriteLineAsync($"supervisor: {error.Message}");
            }

            await Console.Error.WriteLineAsync("Run 'supervisor --help' for usage.");
            return ExitCodes.BadConfigOrUsage;
        }

        try
        {
            // The control loop handles SIGTERM/SIGINT itself; System.CommandLine must not cancel or time out the action.
            return await parseResult.InvokeAsync(new InvocationConfiguration
            {
                ProcessTerminationTimeout = null,
                EnableDefaultExceptionHandler = false,
            });
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync($"supervisor: unexpected error: {e}");
            return ExitCodes.Failure;
        }
    }
}
