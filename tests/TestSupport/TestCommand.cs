using System.Collections.Concurrent;
using CliWrap;
using NUnit.Framework;

namespace Cluster.TestSupport;

/// <summary>
/// Runs a command to completion with CliWrap (the `supervisor` CLI's commands, `dotnet pack`, `curl`, a worker that
/// must refuse its config): stdin empty, stdout and stderr captured line by line, the run bounded (past its time the
/// command and its process tree are killed and the test fails with the output so far). Like <see cref="TestProcess"/>
/// it puts the marker in the environment, so anything the command leaves behind is found by the test's teardown.
/// Processes a test keeps running, signals and kills by PID (the supervisor under test, workers) stay
/// <see cref="TestProcess"/> (its remarks say why).
/// </summary>
public static class TestCommand
{
    public static Task<CommandOutput> RunDotnetAsync(string dll, IEnumerable<string> args, TimeSpan timeout, string? cwd = null, IReadOnlyDictionary<string, string?>? env = null, string? marker = null) =>
        RunAsync("dotnet", [dll, .. args], timeout, cwd, env, marker);

    /// <param name="env">Variables to set on top of the test runner's; a null value removes that variable.</param>
    public static async Task<CommandOutput> RunAsync(string command, IEnumerable<string> args, TimeSpan timeout, string? cwd = null, IReadOnlyDictionary<string, string?>? env = null, string? marker = null)
    {
        var arguments = args.ToList();
        var lines = new ConcurrentQueue<string>();
        var stdout = new ConcurrentQueue<string>();
        var stderr = new ConcurrentQueue<string>();
        var environment = new Dictionary<string, string?>
        {
            [TestProcess.MarkerVariable] = marker ?? Guid.NewGuid().ToString("N"),
            // Tests own the console: no colours, no terminal tricks from child processes.
            ["NO_COLOR"] = "1",
        };
        foreach (var (name, value) in env ?? new Dictionary<string, string?>())
        {
            environment[name] = value;
        }

        var label = Path.GetFileName(command);
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            var run = Cli.Wrap(command)
                .WithArguments(arguments)
                .WithWorkingDirectory(cwd ?? Environment.CurrentDirectory)
                .WithEnvironmentVariables(environment)
                .WithValidation(CommandResultValidation.None)
                .WithStandardOutputPipe(PipeTarget.ToDelegate(line => Collect(lines, stdout, $"[{label} out] ", line)))
                .WithStandardErrorPipe(PipeTarget.ToDelegate(line => Collect(lines, stderr, $"[{label} err] ", line)))
                .ExecuteAsync(deadline.Token);
            var result = await run;
            return new CommandOutput(run.ProcessId, result.ExitCode, [.. lines], [.. stdout], [.. stderr]);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            Assert.Fail($"{command} {string.Join(' ', arguments)} did not finish within {timeout.TotalSeconds:0.#}s and was killed. Output:\n{string.Join('\n', lines)}");
            throw;
        }
    }

    private static void Collect(ConcurrentQueue<string> lines, ConcurrentQueue<string> stream, string prefix, string line)
    {
        lines.Enqueue(line);
        stream.Enqueue(line);
        TestContext.Progress.WriteLine(prefix + line);
    }
}
