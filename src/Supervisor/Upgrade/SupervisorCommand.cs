using Cluster.Supervisor.Processes;

namespace Cluster.Supervisor.Upgrade;

/// <summary>
/// The command this supervisor was started with: its binary (the apphost, or `dotnet supervisor.dll`) and arguments,
/// read at start. An upgrade runs it again, so whatever is installed at that path now is what runs, with the same
/// --config and overrides.
/// </summary>
internal sealed record SupervisorCommand(string FileName, IReadOnlyList<string> Arguments)
{
    public static SupervisorCommand Current()
    {
        var binary = ExecShim.CurrentBinary();
        return new SupervisorCommand(binary[0], [.. binary.Skip(1), .. Environment.GetCommandLineArgs().Skip(1)]);
    }

    public override string ToString() => string.Join(' ', Arguments.Prepend(FileName));
}
