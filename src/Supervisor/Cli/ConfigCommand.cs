using System.CommandLine;
using Cluster.Shared.Configuration;
using Cluster.Shared.Configuration.Layout;

namespace Cluster.Supervisor.Cli;

/// <summary>`supervisor config show` and `supervisor config schema`: the configuration as the supervisor reads it.</summary>
internal static class ConfigCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config", "-c")
        {
            Description = "The config file.",
            HelpName = "FILE",
            DefaultValueFactory = _ => ConfigLoader.DefaultFileName,
        };
        var workers = new Option<string?>("--workers", "-w") { Description = "As for start: overrides \"workers\".", HelpName = "N|auto" };
        var listen = new Option<string[]>("--listen", "-l") { Description = "As for start: overrides \"listen\" (repeat it, or separate URLs with commas).", HelpName = "URL" };
        var explain = new Option<bool>("--explain") { Description = "Say, in a comment after each value set, where it came from: the file, a SUPERVISOR_* variable or a flag." };

        var show = new Command(
            "show",
            "Print the effective configuration: the file, then SUPERVISOR_* environment variables, then flags, with every default filled in, as JSON (paths made absolute, commands found on PATH). Like nginx -T or systemctl show. No key holds a secret today (certificates are given by path, never inline), so the output is safe to share.\n\nExamples:\n  supervisor config show\n  SUPERVISOR_WORKERS=4 supervisor config show --explain --listen http://0.0.0.0:80")
        {
            config,
            workers,
            listen,
            explain,
        };
        show.SetAction(async parseResult =>
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

            await Console.Out.WriteAsync(EffectiveConfigText.Write(result.Config!, parseResult.GetValue(explain) ? result.Sources : null));
            return ExitCodes.Ok;
        });

        var schema = new Command("schema", "Print the JSON Schema of supervisor.json (the repository's supervisor.schema.json is this output), for editors.\n\nExample:\n  supervisor config schema > supervisor.schema.json");
        schema.SetAction(async _ =>
        {
            await Console.Out.WriteAsync(ConfigDocuments.Schema());
            return ExitCodes.Ok;
        });

        return new Command("config", "The configuration as the supervisor reads it: the effective values (show) and the JSON Schema (schema).") { show, schema };
    }
}
