using System.CommandLine;
using Cluster.Shared.Configuration;
using Cluster.Supervisor.Logging;

namespace Cluster.Supervisor.Cli;

internal static class CheckCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config", "-c")
        {
            Description = "The config file to validate.",
            HelpName = "FILE",
            DefaultValueFactory = _ => ConfigLoader.DefaultFileName,
        };
        var command = new Command("check", "Validate a config file without starting anything: exit 0 when valid, 2 with every error otherwise.\n\nExample:\n  supervisor check --config /etc/myapp/supervisor.json") { config };
        command.SetAction(async parseResult =>
        {
            var path = parseResult.GetValue(config)!;
            var result = ConfigLoader.Load(path, ConfigOverrides.None, ConfigEnvironment.Current);
            await ConfigErrorPrinter.PrintWarningsAsync(Console.Error, result);
            var errors = result.IsValid ? LogFileCheck.Check(result.Config!.Log, createFolders: false) : result.Errors;
            if (errors.Count > 0)
            {
                await ConfigErrorPrinter.PrintAsync(Console.Error, path, errors);
                return ExitCodes.BadConfigOrUsage;
            }

            var valid = result.Config!;
            var http2 = valid.Worker.Protocol == WorkerProtocol.Http2 ? " (HTTP/2)" : string.Empty;
            var frontEnd = valid.FrontEnd == FrontEndMode.SharedSocket
                ? $"workers accepting on {valid.ListenDescription} from one shared socket (frontEnd sharedSocket)"
                : $"listening on {valid.ListenDescription}";
            Console.WriteLine($"{valid.ConfigFile} is valid: {valid.Workers} worker(s) of {valid.Worker.Command}{http2}, {frontEnd}, readiness {valid.Worker.Readiness.Description}, control socket {valid.Control.Socket}");
            foreach (var line in TlsSummary.Lines(valid, DateTimeOffset.UtcNow))
            {
                Console.WriteLine($"  {line}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
