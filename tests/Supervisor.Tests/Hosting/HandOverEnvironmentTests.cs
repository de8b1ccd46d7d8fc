using System.Text.Json;
using Cluster.Supervisor.Processes;
using Cluster.Supervisor.Upgrade;

namespace Cluster.Supervisor.Tests.Hosting;

/// <summary>The hand-over a supervisor started by an upgrade reads from its environment: believed only from its own parent.</summary>
[NonParallelizable]
public sealed class HandOverEnvironmentTests
{
    [TearDown]
    public void ClearVariable() => Environment.SetEnvironmentVariable(HandOver.Variable, null);

    [Test]
    public void A_hand_over_from_the_parent_is_taken_and_removed_from_the_environment()
    {
        var parent = ProcStat.Read(Environment.ProcessId)!.ParentPid;
        // Descriptors of the test's own standing in for the predecessor's channel and console (never this process's 1 and 2).
        var (channel, other) = Descriptors.SocketPair();
        var (stdout, stderr) = Descriptors.SocketPair();
        var handOver = new HandOver(new PredecessorRecord(parent, ProcStat.Read(parent)!.StartTime, "1.0.0", 2), [new HandedSocket(channel, "listen")], channel, stdout, stderr);
        Environment.SetEnvironmentVariable(HandOver.Variable, JsonSerializer.Serialize(handOver, HandOverJson.Default.HandOver));

        var (taken, ignored) = HandOverEnvironment.TakeFromProcess();
        Assert.That(ignored, Is.Null);
        Assert.That(taken!.Predecessor, Is.EqualTo(handOver.Predecessor));
        Assert.That(taken.Sockets, Is.EqualTo(handOver.Sockets));
        Assert.That(Environment.GetEnvironmentVariable(HandOver.Variable), Is.Null, "a worker would inherit it");
        foreach (var fd in new[] { channel, other, stdout, stderr })
        {
            Descriptors.Close(fd);
        }
    }

    [Test]
    public void A_hand_over_naming_another_process_is_ignored_with_the_reason()
    {
        var handOver = new HandOver(new PredecessorRecord(Environment.ProcessId, ProcStat.Read(Environment.ProcessId)!.StartTime, "1.0.0", 0), [], -1, -1, -1);
        Environment.SetEnvironmentVariable(HandOver.Variable, JsonSerializer.Serialize(handOver, HandOverJson.Default.HandOver));

        var (taken, ignored) = HandOverEnvironment.TakeFromProcess();
        Assert.That(taken, Is.Null);
        Assert.That(ignored, Does.StartWith($"CLUSTER_UPGRADE names supervisor pid {Environment.ProcessId}, which did not start this process"));
        Assert.That(Environment.GetEnvironmentVariable(HandOver.Variable), Is.Null);
    }

    [Test]
    public void Text_that_is_not_a_hand_over_is_ignored()
    {
        Environment.SetEnvironmentVariable(HandOver.Variable, "yes please");
        var (taken, ignored) = HandOverEnvironment.TakeFromProcess();
        Assert.That(taken, Is.Null);
        Assert.That(ignored, Does.StartWith("CLUSTER_UPGRADE is not a hand-over:"));
    }
}
