using System.CommandLine;
using Cluster.Shared.Configuration;
using Cluster.Supervisor.Hosting;
using Cluster.Supervisor.Logging;

namespace Cluster.Supervisor.Cli;

internal static class StartCommand
{
    public const string Name = "start";

    public static Command Create()
    {
        var config = new Option<string>("--config", "-c")
        {
            Description = "The config file. Relative paths inside it resolve against its folder.",
            HelpName = "FILE",
            DefaultValueFactory = _ => ConfigLoader.DefaultFileName,
        };
        var workers = new Option<string?>("--workers", "-w")
        {
            Description = "How many workers: \"auto\" (one per CPU this process may use) or 1-1024. Overrides \"workers\" in the file.",
            HelpName = "N|auto",
        };
        var listen = new Option<string[]>("--listen", "-l")
        {
            Description = "The public address(es), e.g. http://0.0.0.0:8080; repeat it, or separate URLs with commas, for several (http://0.0.0.0:80,https://0.0.0.0:443). Overrides \"listen\" in the file.",
            HelpName = "URL",
        };

        var command = new Command(Name, "Start the workers and the front end, and keep them running until SIGTERM or Ctrl+C.\n\nExamples:\n  supervisor start\n  supervisor start --config /etc/myapp/supervisor.json --workers 4\n  supervisor start --listen http://127.0.0.1:9000\n  supervisor start --listen http://0.0.0.0:80 --listen https://0.0.0.0:443")
        {
            config,
            workers,
            listen,
        };

        command.SetAction(async parseResult =>
        {
            var overrides = new ConfigOverrides
            {
                Workers = parseResult.GetValue(workers),
                Listen = parseResult.GetValue(listen) is { Length: > 0 } urls ? string.Join(',', urls) : null,
            };
            var result = ConfigLoader.Load(parseResult.GetValue(config)!, overrides, ConfigEnvironment.Current);
            await ConfigErrorPrinter.PrintWarningsAsync(Console.Error, result);
            if (!result.IsValid)
            {
                await ConfigErrorPrinter.PrintAsync(Console.Error, parseResult.GetValue(config)!, result.Errors);
                return ExitCodes.BadConfigOrUsage;
            }

            var logFiles = LogFileCheck.Check(result.Config!.Log, createFolders: true);
            if (logFiles.Count > 0)
            {
                await ConfigErrorPrinter.PrintAsync(Console.Error, parseResult.GetValue(config)!, logFiles);
                return ExitCodes.BadConfigOrUsage;
            }

            return await SupervisorRunner.RunAsync(result.Config, overrides);
        });
        return command;
    }
}
