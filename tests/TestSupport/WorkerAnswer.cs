using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Cluster.TestSupport;

/// <summary>Which worker gave an answer, read from its body.</summary>
public sealed partial record WorkerAnswer(int Id, int Pid, bool BeforeReady = false)
{
    public static readonly WorkerAnswer None = new(-1, 0);

    /// <summary>The test workers' (and the foreign workers') JSON: <c>{"id": 0, "pid": 1234, "beforeReady": false}</c>.</summary>
    public static WorkerAnswer FromJson(string body)
    {
        var json = JsonNode.Parse(body)!;
        return new WorkerAnswer((int)json["id"]!, (int)json["pid"]!, (bool?)json["beforeReady"] ?? false);
    }

    /// <summary>The sample worker's greeting: <c>Hello from worker 0 (pid 1234)</c>.</summary>
    public static WorkerAnswer FromGreeting(string body)
    {
        var match = Greeting().Match(body);
        if (!match.Success)
        {
            throw new FormatException($"not the sample worker's greeting: {body}");
        }

        return new WorkerAnswer(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^Hello from worker (\d+) \(pid (\d+)\)")]
    private static partial Regex Greeting();
}
