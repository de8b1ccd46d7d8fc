using System.CommandLine;
using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Cli;

internal static class CheckCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config", "-c")
        {
            Description = "The config file to validate.",
            HelpName = "FILE",
            DefaultValueFactory = _ => ConfigDefaults.FileName,
        };
        var command = new Command("check", "Validate a config file without starting anything: exit 0 when valid, 2 with every error otherwise.\n\nExample:\n  supervisor check --config /etc/myapp/supervisor.json") { config };
        command.SetAction(async parseResult =>
        {
            var path = parseResult.GetValue(config)!;
            var result = ConfigLoader.Load(path, ConfigOverrides.None, ConfigEnvironment.Current);
            await ConfigErrorPrinter.PrintWarningsAsync(Console.Error, result);
            if (!result.IsValid)
            {
                await ConfigErrorPrinter.PrintAsync(Console.Error, path, result.Errors);
                return ExitCodes.BadConfigOrUsage;
            }

            var valid = result.Config!;
            Console.WriteLine($"{valid.ConfigFile} is valid: {valid.Workers} worker(s) of {valid.Worker.Command}, listening on {valid.Listen}, control socket {valid.Control.Socket}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
