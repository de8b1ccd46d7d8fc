using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Cluster.Supervisor.Control;
using Cluster.Supervisor.Processes;

namespace Cluster.Supervisor.Cli;

/// <summary>status, logs, top, reload, rollback, scale, stop and upgrade: the commands that talk to a running supervisor over its control socket.</summary>
internal static class ControlCommands
{
    /// <summary>For the help of the commands added with `logs` and `top`; the older ones follow the same codes.</summary>
    public const string ExitCodesHelp = "Exit codes: 0 done, 1 failed (the reason is printed), 2 bad usage, 3 no supervisor is running.";

    // Relaxed escaping: the output is for terminals and jq, not for embedding in HTML.
    private static readonly JsonSerializerOptions ForTerminal = new(ControlJson.Default.Options)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonTypeInfo<StatusReport> StatusForTerminal = (JsonTypeInfo<StatusReport>)ForTerminal.GetTypeInfo(typeof(StatusReport));
    private static readonly JsonTypeInfo<WorkerDetailReport> WorkerForTerminal = (JsonTypeInfo<WorkerDetailReport>)ForTerminal.GetTypeInfo(typeof(WorkerDetailReport));

    public static IEnumerable<Command> Create()
    {
        yield return Status();
        yield return LogsCommand.Create();
        yield return Top.TopCommand.Create();
        yield return Reload();
        yield return Rollback();
        yield return Scale();
        yield return Restart();
        yield return Stop();
        yield return Upgrade();
    }

    private static Command Status()
    {
        var json = new Option<bool>("--json") { Description = "Print the status as JSON (a stable format, described in the README)." };
        var worker = new Option<int?>("--worker") { Description = "Show one worker slot in detail: its process(es), restarts, and its last exits (when, how, uptime, what the supervisor did next, its last lines of output).", HelpName = "ID" };
        var app = AppOption("The app of --worker (needed when there are several apps: ids are per app).");
        var command = new Command("status", $"Show the supervisor and one row per worker: PID, state, uptime, restarts (all, and in the last hour), last exit, memory, CPU, requests. With --worker, one slot's restart history.\n\nExamples:\n  supervisor status\n  supervisor status --json --config /etc/myapp/supervisor.json\n  supervisor status --worker 1\n  supervisor status --worker 1 --json | jq '.exits[0]'\n\n{ExitCodesHelp} With --worker, 1 also when the supervisor has no worker of that id.") { json, worker, app };
        var target = new ControlOptions();
        target.AddTo(command);
        command.SetAction(parseResult => WithClient(target.SocketPath(parseResult), async client =>
        {
            if (parseResult.GetValue(worker) is int id)
            {
                var (detail, problem) = await client.WorkerAsync(id, parseResult.GetValue(app));
                if (detail is null)
                {
                    await Console.Error.WriteLineAsync($"supervisor: {problem}");
                    return ExitCodes.Failure;
                }

                Console.WriteLine(parseResult.GetValue(json) ? JsonSerializer.Serialize(detail, WorkerForTerminal) : WorkerDetailPrinter.Format(detail, DateTimeOffset.UtcNow));
                return ExitCodes.Ok;
            }

            var report = await client.StatusAsync();
            Console.WriteLine(parseResult.GetValue(json) ? JsonSerializer.Serialize(report, StatusForTerminal) : StatusPrinter.Format(report));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Reload()
    {
        var app = AppArgument("The app to reload (its workers are replaced whether or not its config changed). Without: the whole config is applied, each app whose workers' config changed by its own rolling reload, apps added or removed.");
        var command = new Command("reload", "Re-read the config and replace workers with no downtime: one slot at a time, the new worker ready before the old one drains. The old workers are parked, not stopped, until the new ones have stayed ready for reload.confirmAfter (default 30s); if a new worker exits, becomes unhealthy or cannot start before that, the reload is rolled back: the old workers serve again, the previous config is in force again, and this command exits 1 with what failed and its last output. With one app (a config without \"apps\"), its workers are always replaced.\n\nExit codes: 0 committed, 1 rolled back or failed (with several apps, the worst of them), 2 invalid config (nothing changed) or no such app, 3 no supervisor running.\n\nExamples:\n  supervisor reload\n  supervisor reload shop") { app };
        var target = new ControlOptions();
        target.AddTo(command);
        command.SetAction(parseResult => WithClient(target.SocketPath(parseResult), async client =>
        {
            var (status, answer) = await client.ReloadAsync(parseResult.GetValue(app));
            return Report(status, answer);
        }));
        return command;
    }

    private static Command Rollback()
    {
        var app = AppArgument("The app to roll back (may be left out when there is one).");
        var command = new Command("rollback", "Go back to the app's previous config (kept in memory since it was replaced, so whatever is on disk now does not matter) with a rolling reload, confirmed like any reload. For a bad deploy that was already committed. Run it again to go forward again.\n\nExit codes: 0 rolled back (committed), 1 refused (no previous generation, another operation in progress) or the rollback itself failed, 2 no such app (the apps are listed), 3 no supervisor running.\n\nExamples:\n  supervisor rollback\n  supervisor rollback shop") { app };
        var target = new ControlOptions();
        target.AddTo(command);
        command.SetAction(parseResult => WithClient(target.SocketPath(parseResult), async client =>
        {
            var (status, answer) = await client.RollbackAsync(parseResult.GetValue(app));
            return Report(status, answer);
        }));
        return command;
    }

    private static Command Scale()
    {
        var words = new Argument<string[]>("[app] count") { Description = "The app (may be left out when there is one), then the number of workers (N) or a change (+K / -K).", Arity = new ArgumentArity(1, 2) };
        var command = new Command("scale", "Change the number of an app's workers. New workers start at once; removed ones stop taking requests and finish their in-flight ones before they are stopped. The other apps are not touched.\n\nExit codes: 0 done, 1 refused or failed, 2 bad usage or no such app (the apps are listed), 3 no supervisor running.\n\nExamples:\n  supervisor scale 8\n  supervisor scale +2\n  supervisor scale api 3\n  supervisor scale shop -1") { words };
        var target = new ControlOptions();
        target.AddTo(command);
        command.SetAction(parseResult => WithClient(target.SocketPath(parseResult), async client =>
        {
            var given = parseResult.GetValue(words)!;
            var (status, answer) = await client.ScaleAsync(given[^1], given.Length == 2 ? given[0] : null);
            return Report(status, answer);
        }));
        return command;
    }

    private static Command Restart()
    {
        var app = new Argument<string>("app") { Description = "The app whose workers to restart." };
        var worker = new Argument<int?>("id") { Description = "Only this worker slot of the app.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("restart", "Replace an app's workers (or one of them) with new processes of the same config, one slot at a time, each new one ready before its predecessor drains: no config is read, no other app is touched.\n\nExit codes: 0 done, 1 refused or failed, 2 no such app or worker (they are listed), 3 no supervisor running.\n\nExamples:\n  supervisor restart shop\n  supervisor restart api 2") { app, worker };
        var target = new ControlOptions();
        target.AddTo(command);
        command.SetAction(parseResult => WithClient(target.SocketPath(parseResult), async client =>
        {
            var (status, answer) = await client.RestartAsync(parseResult.GetValue(app), parseResult.GetValue(worker));
            return Report(status, answer);
        }));
        return command;
    }

    /// <summary>An optional leading app name.</summary>
    private static Argument<string?> AppArgument(string description) => new("app") { Description = description, Arity = ArgumentArity.ZeroOrOne };

    internal static Option<string?> AppOption(string description) => new("--app") { Description = description, HelpName = "APP" };

    private static Command Stop()
    {
        var timeout = new Option<int?>("--timeout") { Description = "Seconds to wait for the supervisor to exit (default: its shutdown and stop timeouts, plus a margin).", HelpName = "SECONDS" };
        var command = new Command("stop", "Stop the supervisor gracefully, as SIGTERM would, and wait until it has exited.\n\nExample:\n  supervisor stop") { timeout };
        var target = new ControlOptions();
        target.AddTo(command);
        command.SetAction(parseResult => WithClient(target.SocketPath(parseResult), async client =>
        {
            var (_, answer) = await client.StopAsync();
            var limit = TimeSpan.FromSeconds(parseResult.GetValue(timeout) ?? answer.ExpectedWithinSeconds);
            Console.WriteLine($"stopping supervisor pid {answer.Pid} (waiting up to {limit.TotalSeconds:0}s)...");
            var clock = Stopwatch.StartNew();
            while (ProcStat.Read(answer.Pid) is { IsAlive: true })
            {
                if (clock.Elapsed > limit)
                {
                    await Console.Error.WriteLineAsync($"supervisor: pid {answer.Pid} is still running after {limit.TotalSeconds:0}s");
                    return ExitCodes.Failure;
                }

                await Task.Delay(100);
            }

            Console.WriteLine($"supervisor pid {answer.Pid} stopped");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Upgrade()
    {
        var timeout = new Option<int?>("--timeout") { Description = "Seconds to wait, once the new supervisor has taken over, for the old one to exit (default: its shutdown and stop timeouts, plus a margin).", HelpName = "SECONDS" };
        var command = new Command("upgrade", "Replace the running supervisor process with a new one, as after installing a new version, with no connection refused and no request failed. The new process is started from the command the running one was started with (so the binary now installed at that path runs, with the same --config, read again: an invalid config refuses the upgrade). It inherits every listening socket, starts workers of its own (the running ones are not adopted: they finish their requests and stop), and takes over once all its workers are ready and it accepts: then it owns the control socket and the pid file (and, under systemd, is the main process), and the old supervisor stops accepting, finishes its in-flight requests (up to shutdownTimeout) and exits. If the new supervisor exits, a worker of it fails, or it does not take over in time, it is stopped with everything it started, the running supervisor serves on as if nothing happened, and this command exits 1 with the new supervisor's last output. SIGUSR2 does the same without a client. Keys that need a restart (listen, frontEnd, control, metrics, ...) take effect with an upgrade.\n\nExit codes: 0 upgraded (the old process is gone), 1 failed (the running supervisor serves on) or refused (another operation in progress), 2 invalid config (nothing started), 3 no supervisor running.\n\nExamples:\n  supervisor upgrade\n  supervisor upgrade --config /etc/cluster/supervisor.json") { timeout };
        var target = new ControlOptions();
        target.AddTo(command);
        command.SetAction(parseResult => WithClient(target.SocketPath(parseResult), async client =>
        {
            Console.WriteLine("upgrading: starting a new supervisor; it takes over once its workers are ready...");
            var (status, answer) = await client.UpgradeAsync();
            if (!answer.Ok)
            {
                return Report(status, new OperationAnswer(answer.Ok, answer.Message, answer.Details));
            }

            Console.WriteLine(answer.Message);
            var limit = TimeSpan.FromSeconds(parseResult.GetValue(timeout) ?? answer.ExpectedWithinSeconds);
            var clock = Stopwatch.StartNew();
            while (ProcStat.Read(answer.PreviousPid) is { IsAlive: true })
            {
                if (clock.Elapsed > limit)
                {
                    await Console.Error.WriteLineAsync($"supervisor: the new supervisor (pid {answer.Pid}) serves, but the old one (pid {answer.PreviousPid}) is still running after {limit.TotalSeconds:0}s");
                    return ExitCodes.Failure;
                }

                await Task.Delay(100);
            }

            Console.WriteLine($"supervisor pid {answer.PreviousPid} stopped; supervisor pid {answer.Pid} is running");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static int Report(int status, OperationAnswer answer)
    {
        var output = answer.Ok ? Console.Out : Console.Error;
        output.WriteLine(answer.Ok ? answer.Message : $"supervisor: {answer.Message}");
        if (answer.Details.Count > 0)
        {
            output.WriteLine(status == 422 ? "errors:" : "its last output:");
            foreach (var line in answer.Details)
            {
                output.WriteLine($"  {line}");
            }
        }

        // 404: the command named no app (or worker) the supervisor has; the answer lists them.
        return answer.Ok ? ExitCodes.Ok : status is 422 or 404 ? ExitCodes.BadConfigOrUsage : ExitCodes.Failure;
    }

    internal static async Task<int> WithClient(string socketPath, Func<ControlClient, Task<int>> command)
    {
        using var client = new ControlClient(socketPath);
        try
        {
            return await command(client);
        }
        catch (ControlUnavailableException e)
        {
            await Console.Error.WriteLineAsync($"supervisor: {e.Message}");
            return e.NotRunning ? ExitCodes.NotRunning : ExitCodes.Failure;
        }
    }
}
