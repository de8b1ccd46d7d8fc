using Cluster.Shared.Configuration;
using Cluster.Supervisor.Processes;
using Cluster.Supervisor.Tests.Configuration;
using Cluster.TestSupport;

namespace Cluster.Supervisor.Tests.Processes;

/// <summary>worker.cpuAffinity: the key, the CPU each slot gets, and what the exec shim is told.</summary>
public sealed class CpuAffinityTests : ConfigTestBase
{
    [Test]
    public void Workers_are_not_pinned_unless_asked_and_auto_is_read()
    {
        Assert.That(Fixture.LoadValid("""{ "worker": { "command": "server" } }""").DefaultApp().Worker.CpuAffinity, Is.EqualTo(CpuAffinity.None));
        Assert.That(Fixture.LoadValid("""{ "worker": { "command": "server", "cpuAffinity": "auto" } }""").DefaultApp().Worker.CpuAffinity, Is.EqualTo(CpuAffinity.Auto));
        Assert.That(
            Fixture.OnlyError("""{ "worker": { "command": "server", "cpuAffinity": "all" } }"""),
            Is.EqualTo("$.worker.cpuAffinity: expected one of \"none\", \"auto\", got a string (\"all\")"));
    }

    [Test]
    public void Each_slot_gets_the_next_allowed_cpu_in_turn()
    {
        // A supervisor confined to CPUs 2, 3 and 6 (taskset, a cpuset): its workers go there, round robin.
        int[] allowed = [2, 3, 6];

        Assert.That(Enumerable.Range(0, 7).Select(slot => CpuSet.ForSlot(slot, allowed)), Is.EqualTo(new[] { 2, 3, 6, 2, 3, 6, 2 }));
    }

    [Test]
    public void The_cpus_of_this_process_are_read_from_the_kernel() =>
        // Not Environment.ProcessorCount: that honours a cgroup CPU quota, which does not narrow the affinity mask.
        Assert.That(CpuSet.Allowed(), Is.EqualTo(ProcFs.CpusAllowed(Environment.ProcessId)));

    [Test]
    public void The_exec_shim_is_told_the_cpu_with_or_without_a_shared_socket()
    {
        var target = new ChildProcessStartInfo("/usr/bin/server", ["--fast"], new Dictionary<string, string>(), "/srv");

        Assert.That(ExecShim.Wrap(target, ["/opt/supervisor"], new ExecShimOptions(ParentPid: 7, Cpu: 1)).Arguments, Is.EqualTo(new[] { "__exec", "7", "--cpu", "1", "--", "/usr/bin/server", "--fast" }));
        Assert.That(ExecShim.Wrap(target, ["/opt/supervisor"], new ExecShimOptions(ParentPid: 7, ListenFd: 40, Cpu: 0)).Arguments, Is.EqualTo(new[] { "__exec", "7", "--listen-fd", "40", "--cpu", "0", "--", "/usr/bin/server", "--fast" }));
    }

    [Test]
    public void A_change_applies_to_the_workers_started_from_then_on()
    {
        var before = Fixture.LoadValid("""{ "worker": { "command": "server" } }""");
        var after = before.WithApp(a => a with { Worker = a.Worker with { CpuAffinity = CpuAffinity.Auto } });

        var changes = ConfigChanges.Between(before, after);

        Assert.That(changes.Applied, Is.EqualTo(new[] { "worker.cpuAffinity none -> auto" }));
        Assert.That(changes.Of("default").WorkerProgramChanged, Is.False);
    }
}
