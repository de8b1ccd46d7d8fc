using System.Reflection;
using System.Runtime.Loader;
using Cluster.Shared.Configuration;
using Cluster.Supervisor.Workers;
using Cluster.TestSupport;

namespace Cluster.Supervisor.Tests.Logging;

/// <summary>
/// An event id names one kind of event (operators filter the JSON log by Properties.EventId.Id, docs/operations.md):
/// every [LoggerMessage] has an id of its own, across the supervisor and the sample worker, whose lines the
/// supervisor's log carries too.
/// </summary>
public sealed class LogEventIdTests
{
    private const string LoggerMessageAttribute = "Microsoft.Extensions.Logging.LoggerMessageAttribute";

    [Test]
    public void Every_log_event_has_an_id_no_other_event_uses()
    {
        var worker = new AssemblyLoadContext("sample worker", isCollectible: true);
        try
        {
            var events = EventsIn(typeof(ControlLoop).Assembly)
                .Concat(EventsIn(typeof(SupervisorConfig).Assembly))
                .Concat(EventsIn(Load(worker, RepositoryPaths.SampleWorkerDll)))
                .ToList();

            Assert.That(events.Select(e => e.Method.Split(':')[0]).Distinct(), Is.EquivalentTo(new[] { "supervisor", "Worker" }), "the walk found the events of both programs");
            Assert.That(events.Where(e => e.Id <= 0).Select(e => e.Method), Is.Empty, "events without an id of their own");
            var reused = events.GroupBy(e => e.Id).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.Method))}");
            Assert.That(reused, Is.Empty, "ids used by more than one event");
        }
        finally
        {
            worker.Unload();
        }
    }

    /// <summary>Every [LoggerMessage] method of <paramref name="assembly"/>: its event id and where it is.</summary>
    private static IEnumerable<(int Id, string Method)> EventsIn(Assembly assembly)
    {
        Type?[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            types = e.Types;
        }

        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        foreach (var method in types.OfType<Type>().SelectMany(t => t.GetMethods(all)))
        {
            foreach (var attribute in method.GetCustomAttributesData().Where(a => a.AttributeType.FullName == LoggerMessageAttribute))
            {
                // [LoggerMessage(EventId = N, ...)] or [LoggerMessage(N, level, message)].
                var named = attribute.NamedArguments.Where(a => a.MemberName == "EventId").Select(a => (int)a.TypedValue.Value!);
                var positional = attribute.ConstructorArguments.Take(1).Where(a => a.ArgumentType == typeof(int)).Select(a => (int)a.Value!);
                yield return (named.Concat(positional).DefaultIfEmpty(0).First(), $"{assembly.GetName().Name}: {method.DeclaringType!.Name}.{method.Name}");
            }
        }
    }

    /// <summary>The sample worker's assembly with its own dependencies (its deps.json), beside the test's.</summary>
    private static Assembly Load(AssemblyLoadContext context, string path)
    {
        var resolver = new AssemblyDependencyResolver(path);
        context.Resolving += (_, name) => resolver.ResolveAssemblyToPath(name) is { } found ? context.LoadFromAssemblyPath(found) : null;
        return context.LoadFromAssemblyPath(path);
    }
}
