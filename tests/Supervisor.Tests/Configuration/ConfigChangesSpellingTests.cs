using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cluster.Shared.Configuration;
using Cluster.Shared.Configuration.Layout;
using Cluster.Supervisor.Tests.Fakes;

namespace Cluster.Supervisor.Tests.Configuration;

/// <summary>What reload and SIGHUP report about a change: values as supervisor.json spells them, never as C# does.</summary>
public sealed class ConfigChangesSpellingTests
{
    [Test]
    public void Every_enum_key_that_changed_is_reported_in_the_configs_own_spelling()
    {
        var running = TestConfigs.Create();
        var loaded = running.WithApp(a => a with { Worker = a.Worker with { CpuAffinity = CpuAffinity.Auto, Protocol = WorkerProtocol.Http2 } }) with
        {
            Log = running.Log with { Level = LogLevelSetting.Debug },
            Proxy = running.Proxy with { LoadBalancing = LoadBalancingPolicy.PowerOfTwoChoices, ForwardedHeaders = ForwardedHeadersMode.Append, RequestStartHeader = true },
            FrontEnd = FrontEndMode.SharedSocket,
        };

        var changes = ConfigChanges.Between(running, loaded);

        Assert.That(changes.Applied, Is.SupersetOf(new[]
        {
            "worker.cpuAffinity none -> auto",
            "log.level information -> debug",
            "proxy.loadBalancing roundRobin -> powerOfTwoChoices",
            "proxy.forwardedHeaders set -> append",
            "proxy.requestStartHeader false -> true",
        }));
        Assert.That(changes.NeedRestart, Is.SupersetOf(new[] { "frontEnd proxy -> sharedSocket", "worker.protocol http1 -> http2" }));
    }

    [Test]
    public void Every_name_of_every_enum_key_reads_and_shows_back_as_written()
    {
        using var fixture = new ConfigFixture();
        var names = 0;
        // An app's keys are those at the top (the short form), and the same kinds read them.
        foreach (var (path, member) in ConfigLayout.Root.Walk().Where(m => !m.Path.StartsWith("apps.", StringComparison.Ordinal) && m.Member.Content is null && Regex.IsMatch(m.Member.Values, "^`\"[^\"]+\"`(, `\"[^\"]+\"`)*( \\(also .*\\))?$")))
        {
            foreach (var name in Regex.Matches(member.Values.Split(" (also")[0], "`\"([^\"]+)\"`").Select(m => m.Groups[1].Value))
            {
                var parts = path.Split('.');
                var json = parts.Reverse().Aggregate($"\"{name}\"", (inner, part) => $"{{ \"{part}\": {inner} }}");
                json = parts[0] == "worker" ? json.Replace("{ \"worker\": {", "{ \"worker\": { \"command\": \"server\",", StringComparison.Ordinal) : json.Insert(1, " \"worker\": { \"command\": \"server\" },");
                var shown = ConfigDocuments.Effective(fixture.LoadValid(json));

                Assert.That((string?)parts.Aggregate((JsonNode?)shown, (node, part) => node?[part]), Is.EqualTo(name), path);
                names++;
            }
        }

        Assert.That(names, Is.GreaterThan(20), "every name of frontEnd, worker.protocol, worker.cpuAffinity, proxy.loadBalancing, proxy.forwardedHeaders, log.level, log.file.rollingInterval and log.file.format");
    }
}
