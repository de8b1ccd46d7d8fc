using System.CommandLine;
using Cluster.Shared.Configuration;
using Cluster.Supervisor.Logging;
using Cluster.Supervisor.Workers.Launching;

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
            // Not an error: the config is right, the machine's permissions are not (yet); each start would fail with this.
            foreach (var app in valid.Apps)
            {
                if (WorkerAccessProbe.Check(app.Worker) is { } refused)
                {
                    await Console.Error.WriteLineAsync($"supervisor: warning: {(valid.IsShortForm ? "$" : $"$.apps.{app.Name}")}.worker.user: workers would not start: {refused}");
                }
            }

            var frontEnd = valid.FrontEnd == FrontEndMode.SharedSocket
                ? $"workers accepting on {valid.ListenDescription} from one shared socket (frontEnd sharedSocket)"
                : $"listening on {valid.ListenDescription}";
            if (valid.IsShortForm)
            {
                Console.WriteLine($"{valid.ConfigFile} is valid: {Workers(valid.Apps[0])}, {frontEnd}, readiness {valid.Apps[0].Worker.Readiness.Description}, control socket {valid.Control.Socket}");
            }
            else
            {
                Console.WriteLine($"{valid.ConfigFile} is valid: {valid.Apps.Count} app(s), {frontEnd}, control socket {valid.Control.Socket}");
                foreach (var app in valid.Apps)
                {
                    Console.WriteLine($"  app {app.Name}: {app.RoutesDescription}; {Workers(app)}, readiness {app.Worker.Readiness.Description}");
                }
            }

            foreach (var line in TlsSummary.Lines(valid, DateTimeOffset.UtcNow))
            {
                Console.WriteLine($"  {line}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Workers(AppConfig app) =>
        $"{app.Workers} worker(s) of {app.Worker.Command}{(app.Worker.Protocol == WorkerProtocol.Http2 ? " (HTTP/2)" : string.Empty)}";
}
