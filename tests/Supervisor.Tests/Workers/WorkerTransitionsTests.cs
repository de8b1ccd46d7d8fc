using Cluster.Supervisor.Tests.Fakes;
using Cluster.Supervisor.Workers;
using Microsoft.Extensions.Logging;
using static Cluster.Supervisor.Workers.WorkerState;

namespace Cluster.Supervisor.Tests.Workers;

public sealed class WorkerTransitionsTests
{
    // The lifecycle as designed; the table in WorkerTransitions must match it exactly.
    private static readonly (WorkerState From, WorkerState To)[] Expected =
    [
        (Stopped, Starting),
        (Backoff, Starting),
        (CrashLoop, Starting),
        (Failed, Starting),
        (Starting, Ready),
        (Starting, Exited),
        (Starting, Stopping),
        (Ready, Exited),
        (Ready, Stopping),
        (Ready, Unhealthy),
        (Ready, Draining),
        (Unhealthy, Ready),
        (Unhealthy, Stopping),
        (Unhealthy, Exited),
        (Draining, Stopping),
        (Draining, Exited),
        (Draining, Parked),
        (Draining, Ready),
        (Parked, Ready),
        (Parked, Stopping),
        (Parked, Exited),
        (Stopping, Exited),
        (Exited, Backoff),
        (Exited, CrashLoop),
        (Exited, Failed),
        (Exited, Stopped),
        (Backoff, Stopped),
        (CrashLoop, Stopped),
        (Failed, Stopped),
    ];

    private static IEnumerable<TestCaseData> AllowedMoves() =>
        Expected.Select(t => new TestCaseData(t.From.ToString(), t.To.ToString()).SetName($"{t.From} -> {t.To} is allowed, applied and logged"));

    private static IEnumerable<TestCaseData> ForbiddenMoves() =>
        from source in Enum.GetValues<WorkerState>()
        from target in Enum.GetValues<WorkerState>()
        where !Expected.Contains((source, target))
        select new TestCaseData(source.ToString(), target.ToString()).SetName($"{source} -> {target} is refused");

    [Test]
    public void The_table_holds_exactly_the_designed_transitions() =>
        Assert.That(WorkerTransitions.All, Is.EquivalentTo(Expected));

    [TestCaseSource(nameof(AllowedMoves))]
    public void Allowed(string fromName, string toName)
    {
        // Test methods are public and WorkerState is internal, so the cases carry names.
        var (from, to) = (Enum.Parse<WorkerState>(fromName), Enum.Parse<WorkerState>(toName));
        var log = new ListLogger();
        var worker = WorkerIn(from);

        new WorkerTransitions(log).Move(worker, to, "because", LogLevel.Warning);

        Assert.That(worker.State, Is.EqualTo(to));
        Assert.That(log.Entries[^1], Is.EqualTo((LogLevel.Warning, $"worker 3 [pid -] {from} -> {to}: because")));
    }

    [TestCaseSource(nameof(ForbiddenMoves))]
    public void Forbidden(string fromName, string toName)
    {
        var (from, to) = (Enum.Parse<WorkerState>(fromName), Enum.Parse<WorkerState>(toName));
        var worker = WorkerIn(from);

        var error = Assert.Throws<InvalidOperationException>(() => new WorkerTransitions(new ListLogger()).Move(worker, to, "because"));

        Assert.That(error!.Message, Does.Contain($"{from} -> {to} is not an allowed transition"));
        Assert.That(worker.State, Is.EqualTo(from));
    }

    /// <summary>A worker put in a state by the shortest legal path from Stopped.</summary>
    private static Worker WorkerIn(WorkerState state)
    {
        var worker = TestGroups.Worker(3);
        var path = state switch
        {
            Stopped => [],
            Starting => new[] { Starting },
            Ready => [Starting, Ready],
            Stopping => [Starting, Stopping],
            Exited => [Starting, Exited],
            Backoff => [Starting, Exited, Backoff],
            CrashLoop => [Starting, Exited, CrashLoop],
            Failed => [Starting, Exited, Failed],
            Unhealthy => [Starting, Ready, Unhealthy],
            Draining => [Starting, Ready, Draining],
            Parked => [Starting, Ready, Draining, Parked],
            _ => throw new ArgumentOutOfRangeException(nameof(state)),
        };
        var transitions = new WorkerTransitions(new ListLogger());
        foreach (var step in path)
        {
            transitions.Move(worker, step, "setup");
        }

        return worker;
    }
}
