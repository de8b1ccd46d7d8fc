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
        var allowed = CpusOf(supervisor.Process.Pid);
        var expected = new[] { allowed[0], allowed[1 % allowed.Count] };

        foreach (var slot in new[] { 0, 1 })
        {
            var pid = supervisor.PidsOf(slot)[0];
            Assert.That(Directory.GetDirectories($"/proc/{pid}/task").Select(task => CpusOf(pid, Path.GetFileName(task))), Is.All.EqualTo(new[] { expected[slot] }), $"worker {slot} (pid {pid}): every thread on CPU {expected[slot]}");
        }

        var victim = supervisor.PidsOf(1)[0];
        Posix.Signal(victim, Posix.SIGKILL);
        await supervisor.WaitForReadyAsync(3);
        Assert.That(CpusOf(supervisor.PidsOf(1)[^1]), Is.EqualTo(new[] { expected[1] }), "the replacement is pinned like its slot");
        Assert.That(CpusOf(supervisor.Process.Pid), Is.EqualTo(allowed), "the supervisor itself is not pinned");
    }

    /// <summary>The CPUs a process (or one of its threads) may run on: Cpus_allowed_list, e.g. "0-1,4".</summary>
    private static List<int> CpusOf(int pid, string? thread = null)
    {
        var status = File.ReadAllLines(thread is null ? $"/proc/{pid}/status" : $"/proc/{pid}/task/{thread}/status");
        var list = status.First(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal))["Cpus_allowed_list:".Length..].Trim();
        return list.Split(',').SelectMany(range => range.Split('-') is [var from, var to]
            ? Enumerable.Range(int.Parse(from, System.Globalization.CultureInfo.InvariantCulture), int.Parse(to, System.Globalization.CultureInfo.InvariantCulture) - int.Parse(from, System.Globalization.CultureInfo.InvariantCulture) + 1)
            : [int.Parse(range, System.Globalization.CultureInfo.InvariantCulture)]).ToList();
    }
}
