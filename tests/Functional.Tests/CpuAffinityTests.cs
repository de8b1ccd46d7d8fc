using System.Text.Json.Nodes;
using Cluster.TestSupport;

namespace Cluster.Functional.Tests;

/// <summary>worker.cpuAffinity auto: each slot's process, every thread of it, and its replacement on the slot's CPU.</summary>
public sealed class CpuAffinityTests : FunctionalTest
{
    [Test]
    public async Task Each_worker_and_its_replacement_run_on_their_slots_cpu_only()
    {
        var supervisor = Start(SupervisorHarness.TestWorkerConfig(2, new JsonObject { ["cpuAffinity"] = "auto" }));
        await supervisor.WaitForReadyAsync(2);
        var allowed = ProcFs.CpusAllowed(supervisor.Process.Pid);
        var expected = new[] { allowed[0], allowed[1 % allowed.Count] };

        foreach (var slot in new[] { 0, 1 })
        {
            var pid = supervisor.PidsOf(slot)[0];
            Assert.That(ProcFs.Threads(pid).Select(thread => ProcFs.CpusAllowed(pid, thread)), Is.All.EqualTo(new[] { expected[slot] }), $"worker {slot} (pid {pid}): every thread on CPU {expected[slot]}");
        }

        var victim = supervisor.PidsOf(1)[0];
        Posix.Signal(victim, Posix.SIGKILL);
        await supervisor.WaitForReadyAsync(3);
        Assert.That(ProcFs.CpusAllowed(supervisor.PidsOf(1)[^1]), Is.EqualTo(new[] { expected[1] }), "the replacement is pinned like its slot");
        Assert.That(ProcFs.CpusAllowed(supervisor.Process.Pid), Is.EqualTo(allowed), "the supervisor itself is not pinned");
    }
}
