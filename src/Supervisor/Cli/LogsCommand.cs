using System.CommandLine;
using System.Runtime.InteropServices;
using Cluster.Supervisor.Control;

namespace Cluster.Supervisor.Cli;

/// <summary>`supervisor logs`: the running supervisor's recent log from its in-memory ring, and with -f its live feed.</summary>
internal static class LogsCommand
{
    public static Command Create()
    {
        var lines = new Option<int>("--lines", "-n")
        {
            Description = "How many of the last lines to print (at most log.memoryLines are kept).",
            HelpName = "N",
            DefaultValueFactory = _ => LogEndpoint.DefaultLines,
        };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new lines until Ctrl+C, or until the supervisor stops." };
        var worker = new Option<int?>("--worker") { Description = "Only one worker slot's lines: its lifecycle lines and its output.", HelpName = "ID" };
        var app = ControlCommands.AppOption("Only one app's lines: its workers' lifecycle lines and output, and its own (reloads, scaling); with --worker, that slot of this app.");
        var json = new Option<bool>("--json") { Description = "One JSON object per line, as log.file's JSON format writes them." };
        lines.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 0)
            {
                result.AddError("--lines must be 0 or more");
            }
        });

        var command = new Command(
            "logs",
            "Print the running supervisor's recent log: its own lines and every worker's output, as its console shows them (timestamps, worker id, PID). The supervisor keeps the last log.memoryLines lines in memory, with or without log files.\n\n"
            + "Examples:\n  supervisor logs\n  supervisor logs --lines 500 --worker 2\n  supervisor logs --app shop -f\n  supervisor logs -f\n  supervisor logs -f --json --config /etc/myapp/supervisor.json | jq -r .RenderedMessage\n\n"
            + "Exit codes: 0 done (with -f: Ctrl+C, or the supervisor stopped), 1 the connection was lost or this follower fell too far behind and was dropped, 2 bad usage, 3 no supervisor is running.")
        {
            lines,
            follow,
            worker,
            app,
            json,
        };
        var target = new ControlOptions();
        target.AddTo(command);
        command.SetAction(parseResult => ControlCommands.WithClient(target.SocketPath(parseResult), client =>
            PrintAsync(client, parseResult.GetValue(lines), parseResult.GetValue(follow), parseResult.GetValue(worker), parseResult.GetValue(json), parseResult.GetValue(app))));
        return command;
    }

    private static async Task<int> PrintAsync(ControlClient client, int lines, bool follow, int? worker, bool json, string? app)
    {
        using var stop = new CancellationTokenSource();
        using var interrupt = follow ? PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop) : null;
        using var terminate = follow ? PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop) : null;
        try
        {
            await foreach (var record in client.LogsAsync(lines, follow, worker, output: true, app, stop.Token))
            {
                if (record.End is { } end)
                {
                    await Console.Error.WriteLineAsync(end == "stopped" ? $"supervisor: {record.Message}; end of its log" : $"supervisor: {record.Message}");
                    return end == "stopped" ? ExitCodes.Ok : ExitCodes.Failure;
                }

                Console.Out.WriteLine(json ? record.Json : record.Text);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return ExitCodes.Ok;
        }
        catch (IOException)
        {
            // stdout was closed (`supervisor logs | head`): nothing more to print.
            return ExitCodes.Ok;
        }

        if (!follow)
        {
            return ExitCodes.Ok;
        }

        await Console.Error.WriteLineAsync($"supervisor: lost the connection to the supervisor at {client.SocketPath} (was it killed?)");
        return ExitCodes.Failure;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }
}
