using System.CommandLine;
using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Cli;

/// <summary>--config and --socket: how a control command finds the running supervisor.</summary>
internal sealed class ControlOptions
{
    public Option<string> Config { get; } = new("--config", "-c")
    {
        Description = "The config file the supervisor was started with; its control socket is derived from it.",
        HelpName = "FILE",
        DefaultValueFactory = _ => ConfigLoader.DefaultFileName,
    };

    public Option<string?> Socket { get; } = new("--socket", "-s")
    {
        Description = "The control socket itself (overrides --config).",
        HelpName = "PATH",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Config);
        command.Options.Add(Socket);
    }

    public string SocketPath(ParseResult parseResult)
    {
        if (parseResult.GetValue(Socket) is { } socket)
        {
            return Path.GetFullPath(socket);
        }

        var (path, warning) = ControlSocketLocator.For(parseResult.GetValue(Config)!, ConfigEnvironment.Current);
        if (warning is not null)
        {
            Console.Error.WriteLine($"supervisor: warning: {warning}");
        }

        return path;
    }
}
