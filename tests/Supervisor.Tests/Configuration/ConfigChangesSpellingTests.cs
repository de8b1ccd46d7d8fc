using System.Reflection;
using Cluster.Shared.Configuration;
using Cluster.Shared.Configuration.Parsing;
using Cluster.Supervisor.Tests.Fakes;

namespace Cluster.Supervisor.Tests.Configuration;

/// <summary>What reload and SIGHUP report about a change: values as supervisor.json spells them, never as C# does.</summary>
public sealed class ConfigChangesSpellingTests
{
    [Test]
    public void Every_enum_key_that_changed_is_reported_in_the_configs_own_spelling()
    {
        var running = TestConfigs.Create();
        var loaded = running with
        {
            Worker = running.Worker with { CpuAffinity = CpuAffinity.Auto, Protocol = WorkerProtocol.Http2 },
            Log = running.Log with { Level = LogLevelSetting.Debug },
            Proxy = running.Proxy with { LoadBalancing = LoadBalancingPolicy.PowerOfTwoChoices, ForwardedHeaders = ForwardedHeadersMode.Append, RequestStartHeader = true },
            FrontEnd = FrontEndMode.SharedSocket,
        };

        var changes = ConfigChanges.Between(running, loaded);

        Assert.That(changes.Applied, Is.SupersetOf(new[]
        {
            "worker.cpuAffinity none -> auto (for workers started from now on)",
            "log.level information -> debug",
            "proxy.loadBalancing roundRobin -> powerOfTwoChoices",
            "proxy.forwardedHeaders set -> append",
            "proxy.requestStartHeader false -> true",
        }));
        Assert.That(changes.NeedRestart, Is.SupersetOf(new[] { "frontEnd proxy -> sharedSocket", "worker.protocol http1 -> http2" }));
    }

    [Test]
    public void Every_value_of_every_enum_in_the_config_has_a_spelling_the_reader_accepts()
    {
        var enums = EnumTypesIn(typeof(SupervisorConfig), []);
        Assert.That(enums, Has.Member(typeof(CpuAffinity)).And.Member(typeof(LoadBalancingPolicy)), "the walk found the config's enums");

        foreach (var value in enums.Where(IsKeyValue).SelectMany(type => Enum.GetValues(type).Cast<Enum>()))
        {
            var spelling = ConfigSpelling.Of(value);
            var property = $"{value.GetType().Name}.{value}";
            Assert.That(spelling, Is.Not.EqualTo(value.ToString()).Or.EqualTo(value.ToString().ToLowerInvariant()), $"{property} is printed as C# names it");
            Assert.That(Reads(spelling, value), Is.True, $"{property} is spelled \"{spelling}\", which the reader does not read back as {value}");
        }
    }

    /// <summary>The enums written as a key's value; ListenHost and ListenScheme come from a listener's URL instead.</summary>
    private static bool IsKeyValue(Type type) => type != typeof(ListenHost) && type != typeof(ListenScheme);

    private static bool Reads(string spelling, Enum value)
    {
        var accepted = value switch
        {
            CpuAffinity => SupervisorConfigReader.CpuAffinities.Where(p => p.Value.Equals(value)).Select(p => p.Key),
            ForwardedHeadersMode => SupervisorConfigReader.ForwardedModes.Where(p => p.Value.Equals(value)).Select(p => p.Key),
            FrontEndMode => FrontEndRules.Modes.Where(p => p.Value.Equals(value)).Select(p => p.Key),
            LoadBalancingPolicy => SupervisorConfigReader.Policies.Where(p => p.Value.Equals(value)).Select(p => p.Key),
            LogFileFormat => SupervisorConfigReader.LogFormats.Where(p => p.Value.Equals(value)).Select(p => p.Key),
            LogLevelSetting => SupervisorConfigReader.LogLevels.Where(p => p.Value.Equals(value)).Select(p => p.Key),
            LogRollingInterval => SupervisorConfigReader.RollingIntervals.Where(p => p.Value.Equals(value)).Select(p => p.Key),
            WorkerProtocol => SupervisorConfigReader.WorkerProtocols.Where(p => p.Value.Equals(value)).Select(p => p.Key),
            _ => [],
        };
        return accepted.Contains(spelling.ToLowerInvariant());
    }

    /// <summary>Every enum type reachable through the properties of the config records.</summary>
    private static HashSet<Type> EnumTypesIn(Type type, HashSet<Type> visited)
    {
        var found = new HashSet<Type>();
        if (!visited.Add(type))
        {
            return found;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var element = propertyType.IsGenericType ? propertyType.GetGenericArguments().LastOrDefault() ?? propertyType : propertyType;
            foreach (var candidate in new[] { propertyType, element })
            {
                if (candidate.IsEnum)
                {
                    found.Add(candidate);
                }
                else if (candidate.Namespace == typeof(SupervisorConfig).Namespace && candidate.IsClass)
                {
                    found.UnionWith(EnumTypesIn(candidate, visited));
                }
            }
        }

        return found;
    }
}
