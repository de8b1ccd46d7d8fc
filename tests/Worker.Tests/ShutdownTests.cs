using System.Net;
using System.Net.Sockets;
using Cluster.TestSupport;
using Cluster.Worker.Tests.Infrastructure;

namespace Cluster.Worker.Tests;

public sealed class ShutdownTests : WorkerTestBase
{
    [Test]
    public async Task Sigterm_StopsAcceptingFinishesTheInFlightRequestAndExitsZero()
    {
        var worker = await StartWorkerAsync(workerId: 1, testEndpoints: true);
        // In flight until the test lets it finish (the file exists), however slow the machine.
        var release = Path.Combine(Sandbox, "release");
        var held = worker.Client.GetAsync($"/debug/hold?file={Uri.EscapeDataString(release)}");
        await worker.Process.WaitForLineAsync(@"held request started", StartTimeout);

        Assert.That(worker.Process.Signal(Posix.SIGTERM), Is.True);
        await worker.Process.WaitForLineAsync(@"worker 1 stopping", ExitTimeout);
        var refused = await Eventually.TrueAsync(() => RefusesConnectionsAsync(worker.Port), ExitTimeout);
        var stillInFlightWhenRefused = !held.IsCompleted;
        await File.WriteAllTextAsync(release, "done");

        using var response = await held;
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Match(@"^held \d+ ms\n$"));
        Assert.That(await worker.Process.WaitForExitAsync(ExitTimeout), Is.True, "worker did not exit after SIGTERM");
        Assert.That(worker.Process.ExitCode, Is.EqualTo(0));
        Assert.That(refused, Is.True, "the worker still accepted connections after SIGTERM");
        Assert.That(stillInFlightWhenRefused, Is.True, "the listener closed only after the request had finished");
        Assert.That(worker.Process.MatchingLines(@"worker 1 stopped \(pid \d+\)"), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Sigterm_WhenIdle_ExitsZero()
    {
        var worker = await StartWorkerAsync(workerId: 2);

        Assert.That(worker.Process.Signal(Posix.SIGTERM), Is.True);

        Assert.That(await worker.Process.WaitForExitAsync(ExitTimeout), Is.True, "worker did not exit after SIGTERM");
        Assert.That(worker.Process.ExitCode, Is.EqualTo(0));
    }

    private static async Task<bool> RefusesConnectionsAsync(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port);
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            // Caught the listener as it closed (a connection still in its backlog is reset); ask again.
            return false;
        }
    }

    [Test]
    public async Task WhenItsParentIsNotTheSupervisorItWasGiven_ItStopsByItselfAndExitsZero()
    {
        // PID 1 is never this worker's parent (the test host is), just as after the real supervisor died.
        var worker = await StartWorkerAsync(workerId: 3, extraEnvironment: new Dictionary<string, string> { ["SUPERVISOR_PID"] = "1" });

        Assert.That(await worker.Process.WaitForExitAsync(ExitTimeout), Is.True, "the worker kept running without its supervisor");
        Assert.That(worker.Process.ExitCode, Is.EqualTo(0));
        Assert.That(worker.Process.Output, Does.Contain($"its supervisor (pid 1) is gone; stopping (pid {worker.Process.Pid})"));
    }

    [Test]
    public async Task WhileItsParentIsTheSupervisor_ItKeepsRunning()
    {
        var worker = await StartWorkerAsync(workerId: 4, extraEnvironment: new Dictionary<string, string>
        {
            ["SUPERVISOR_PID"] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // Its debug line for each check that found the supervisor still its parent.
            ["Logging__LogLevel__Cluster.Worker"] = "Debug",
        });

        await worker.Process.WaitForLineAsync(@"worker 4: its supervisor \(pid \d+\) is still its parent", StartTimeout, skip: 1);

        Assert.That(worker.Process.HasExited, Is.False);
        Assert.That(worker.Process.Output, Does.Not.Contain("is gone"));
        Assert.That((await worker.Client.GetAsync("/")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
