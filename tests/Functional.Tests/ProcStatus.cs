using System.Globalization;

namespace Cluster.Functional.Tests;

/// <summary>What /proc says about a process's identity: its IDs, groups, capabilities, environment and working directory.</summary>
internal sealed record ProcStatus(IReadOnlyDictionary<string, string> Fields, IReadOnlyList<string> Environment, string? WorkingDirectory)
{
    public static ProcStatus Read(int pid)
    {
        var folder = $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}";
        var fields = File.ReadAllLines($"{folder}/status").Select(l => l.Split(':', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1].Trim());
        var environment = File.ReadAllText($"{folder}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        return new ProcStatus(fields, environment, new DirectoryInfo($"{folder}/cwd").LinkTarget);
    }

    /// <summary>The real, effective, saved and filesystem IDs of "Uid" or "Gid".</summary>
    public IReadOnlyList<uint> Ids(string field) => Numbers(Fields[field]);

    /// <summary>The supplementary groups, in order.</summary>
    public IReadOnlyList<uint> Groups => Numbers(Fields["Groups"]);

    public ulong Capabilities(string field) => ulong.Parse(Fields[field], NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    public string? Variable(string name) => Environment.FirstOrDefault(v => v.StartsWith(name + "=", StringComparison.Ordinal))?[(name.Length + 1)..];

    private static uint[] Numbers(string text) =>
        [.. text.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries).Select(n => uint.Parse(n, CultureInfo.InvariantCulture))];
}
