using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Cluster.Supervisor.Control;
using Spectre.Console;

namespace Cluster.Supervisor.Cli.Top;

/// <summary>
/// `supervisor top`: a live view of the cluster, refreshed every second from the control socket, in the terminal's
/// alternate screen (so the terminal is as it was afterwards). Without a terminal, one plain snapshot.
/// </summary>
internal static class TopCommand
{
    public static readonly TimeSpan Refresh = TimeSpan.FromSeconds(1);

    public static Command Create()
    {
        var command = new Command(
            "top",
            "A live view of the running cluster, refreshed every second: the supervisor (uptime, phase, generation), the front end (requests/s, 2xx/4xx/5xx rates, retries, p99 latency over the last second), one row per worker (state, PID, uptime, restarts, CPU, memory, requests in flight and per second; restarting and crash-looping workers stand out) and the latest lifecycle lines. q or Ctrl+C leaves it. Without a terminal (piped, in CI) it prints one plain snapshot and exits.\n\n"
            + "Examples:\n  supervisor top\n  supervisor top --config /etc/myapp/supervisor.json\n  supervisor top | cat        # one snapshot, plain text\n\n"
            + ControlCommands.ExitCodesHelp + " 1 also when the supervisor stops answering while top runs.");
        var target = new ControlOptions();
        target.AddTo(command);
        command.SetAction(parseResult => ControlCommands.WithClient(target.SocketPath(parseResult), RunAsync));
        return command;
    }

    private static async Task<int> RunAsync(ControlClient client)
    {
        var sampler = new TopSampler(client);
        var started = Stopwatch.GetTimestamp();
        // Before anything touches the terminal, so that "no supervisor is running" is an ordinary message and exit 3.
        var first = await sampler.NextAsync(CancellationToken.None);
        var console = AnsiConsole.Console;
        if (Console.IsOutputRedirected || !console.Profile.Capabilities.Ansi)
        {
            // Rates need a second sample, a refresh later, as top's own first screen.
            await Task.Delay(Remaining(started));
            Console.WriteLine(TopText.Format(await sampler.NextAsync(CancellationToken.None)));
            return ExitCodes.Ok;
        }

        using var stop = new CancellationTokenSource();
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Quit);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Quit);
        using var hangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Quit);
        string? problem = null;
        void Show() => console.Live(TopScreen.Render(first)).StartAsync(async live =>
        {
            var keys = WatchKeysAsync(stop);
            problem = await RefreshAsync(sampler, live, started, stop.Token);
            await stop.CancelAsync();
            await keys;
        }).GetAwaiter().GetResult();

        if (console.Profile.Capabilities.AlternateBuffer)
        {
            console.AlternateScreen(Show);
        }
        else
        {
            Show();
        }

        if (!Console.IsInputRedirected)
        {
            // .NET switched the terminal's cursor keys to application mode to read keys and leaves them so at exit;
            // the shell after us expects normal mode (DECCKM and DECKPNM reset).
            Console.Out.Write("\e[?1l\e>");
            Console.Out.Flush();
        }

        if (problem is not null)
        {
            await Console.Error.WriteLineAsync($"supervisor: {problem}");
            return ExitCodes.Failure;
        }

        return ExitCodes.Ok;

        void Quit(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }

    /// <summary>Redraws every second until stopped; returns why it stopped on its own (the supervisor went away), else null.</summary>
    private static async Task<string?> RefreshAsync(TopSampler sampler, LiveDisplayContext live, long started, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(Remaining(started), stop);
                started = Stopwatch.GetTimestamp();
                live.UpdateTarget(TopScreen.Render(await sampler.NextAsync(stop)));
                live.Refresh();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return null;
        }
        catch (ControlUnavailableException e)
        {
            return $"{e.Message}; it stopped while top was running";
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return $"lost the connection to the supervisor: {e.Message}";
        }
    }

    /// <summary>q, Q, Esc (or Ctrl+C typed as a key) leave; read only when there is a key, so nothing blocks on exit.</summary>
    private static async Task WatchKeysAsync(CancellationTokenSource stop)
    {
        if (Console.IsInputRedirected)
        {
            return;
        }

        while (!stop.IsCancellationRequested)
        {
            while (Console.KeyAvailable)
            {
                var key = Console.ReadKey(intercept: true);
                if (key.KeyChar is 'q' or 'Q' || key.Key == ConsoleKey.Escape || (key.Key == ConsoleKey.C && key.Modifiers.HasFlag(ConsoleModifiers.Control)))
                {
                    await stop.CancelAsync();
                    return;
                }
            }

            try
            {
                await Task.Delay(50, stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static TimeSpan Remaining(long since)
    {
        var left = Refresh - Stopwatch.GetElapsedTime(since);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }
}
