using Cluster.TestSupport;
using Cluster.Worker.Tests.Infrastructure;

namespace Cluster.Worker.Tests;

public sealed class LoggingTests : WorkerTestBase
{
    [Test]
    public async Task Output_IsOnePlainLinePerLifecycleEvent_AndNothingPerRequest()
    {
        var worker = await StartWorkerAsync(workerId: 4);
        for (var i = 0; i < 5; i++)
        {
            using var hello = await worker.Client.GetAsync("/");
            using var missing = await worker.Client.GetAsync("/missing");
            using var created = await worker.Client.PostUserAsync($"User {i}", $"user{i}@example.com");
        }

        worker.Process.Signal(Posix.SIGTERM);
        Assert.That(await worker.Process.WaitForExitAsync(ExitTimeout), Is.True);

        var lines = worker.Process.Lines.ToList();
        const string prefix = @"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \[worker 4\] info: Cluster\.Worker\[\d+\] ";
        Assert.That(lines, Has.Count.EqualTo(3), worker.Process.Output);
        Assert.That(lines[0], Does.Match(prefix + $@"worker 4 listening on http://127\.0\.0\.1:{worker.Port} \(pid {worker.Process.Pid}\)$"));
        Assert.That(lines[1], Does.Match(prefix + $@"worker 4 stopping: .* \(pid {worker.Process.Pid}\)$"));
        Assert.That(lines[2], Does.Match(prefix + $@"worker 4 stopped \(pid {worker.Process.Pid}\)$"));
        Assert.That(lines, Has.None.Contains("\u001b"), "ANSI escape codes in redirected output");
    }

    [Test]
    public async Task Under_a_supervisor_lines_carry_no_own_timestamp_or_worker_tag_because_the_supervisor_adds_them()
    {
        var worker = await StartWorkerAsync(workerId: 2, extraEnvironment: new Dictionary<string, string> { ["SUPERVISOR_PID"] = "1" });

        worker.Process.Signal(Posix.SIGTERM);
        Assert.That(await worker.Process.WaitForExitAsync(ExitTimeout), Is.True);

        Assert.That(
            worker.Process.Lines.First(),
            Does.Match($@"^info: Cluster\.Worker\[\d+\] worker 2 listening on http://127\.0\.0\.1:{worker.Port} \(pid {worker.Process.Pid}\)$"));
    }
}
