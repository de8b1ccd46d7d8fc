using System.Globalization;

namespace Cluster.Supervisor.Processes;

/// <summary>
/// What the supervisor tells the exec shim on its command line (`supervisor __exec PARENT [OPTIONS] -- COMMAND ARGS`),
/// and how the shim reads it back.
/// </summary>
/// <param name="ListenFd">The supervisor's descriptor of the shared socket, to become fd 3.</param>
/// <param name="Cpu">The CPU to pin the worker to.</param>
/// <param name="WorkerDiagnostics">The DOTNET_EnableDiagnostics value the worker is to have.</param>
/// <param name="StatusFd">Where to write why the start failed (<see cref="ExecStatusPipe"/>).</param>
/// <param name="RunAs">The user and group to switch to.</param>
/// <param name="WorkingDirectory">The folder to enter again once switched, so that the user's own permissions apply.</param>
/// <param name="Probe">Stop short of the exec: only find out whether it would go through (`check`).</param>
internal sealed record ExecShimOptions(
    int ParentPid,
    int? ListenFd = null,
    int? Cpu = null,
    string? WorkerDiagnostics = null,
    int? StatusFd = null,
    ShimUser? RunAs = null,
    string? WorkingDirectory = null,
    bool Probe = false)
{
    public const string Usage = "PARENT_PID [--listen-fd FD] [--cpu N] [--worker-diagnostics VALUE] [--status-fd FD] [--user NAME:UID:GID] [--cwd DIR] [--probe yes] -- COMMAND [ARGS...]";

    private const string ListenFdOption = "--listen-fd";
    private const string CpuOption = "--cpu";
    private const string WorkerDiagnosticsOption = "--worker-diagnostics";
    private const string StatusFdOption = "--status-fd";
    private const string UserOption = "--user";
    private const string CwdOption = "--cwd";
    private const string ProbeOption = "--probe";

    /// <summary>Everything after the verb, up to and including "--".</summary>
    public IEnumerable<string> ToArguments()
    {
        yield return Number(ParentPid);
        foreach (var (option, value) in new (string, string?)[]
        {
            (ListenFdOption, ListenFd is int fd ? Number(fd) : null),
            (CpuOption, Cpu is int cpu ? Number(cpu) : null),
            (WorkerDiagnosticsOption, WorkerDiagnostics),
            (StatusFdOption, StatusFd is int status ? Number(status) : null),
            (UserOption, RunAs?.ToString()),
            (CwdOption, WorkingDirectory),
            (ProbeOption, Probe ? "yes" : null),
        })
        {
            if (value is not null)
            {
                yield return option;
                yield return value;
            }
        }

        yield return "--";
    }

    /// <summary>Reads `PARENT [OPTIONS] --` from <paramref name="args"/> (after the verb); null when they are not what <see cref="ToArguments"/> writes.</summary>
    public static ExecShimOptions? Parse(IReadOnlyList<string> args, out int commandAt)
    {
        commandAt = 0;
        if (args.Count < 2 || !TryNumber(args[0], out var parent))
        {
            return null;
        }

        var options = new ExecShimOptions(parent);
        var next = 1;
        for (; next + 1 < args.Count && args[next] != "--"; next += 2)
        {
            var value = args[next + 1];
            int? number = TryNumber(value, out var parsed) ? parsed : null;
            ExecShimOptions? read = args[next] switch
            {
                ListenFdOption when number is not null => options with { ListenFd = number },
                CpuOption when number is not null => options with { Cpu = number },
                StatusFdOption when number is not null => options with { StatusFd = number },
                WorkerDiagnosticsOption => options with { WorkerDiagnostics = value },
                UserOption when ShimUser.Parse(value) is { } user => options with { RunAs = user },
                CwdOption => options with { WorkingDirectory = value },
                ProbeOption when value == "yes" => options with { Probe = true },
                _ => null,
            };
            if (read is null)
            {
                return null;
            }

            options = read;
        }

        commandAt = next + 1;
        return next < args.Count && args[next] == "--" && commandAt < args.Count ? options : null;
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static bool TryNumber(string text, out int value) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
