using Cluster.Supervisor.Processes;

namespace Cluster.Supervisor.Tests.Processes;

public sealed class ProcessExitStatusTests
{
    [TestCase(0, null, "exited with code 0")]
    [TestCase(1, null, "exited with code 1")]
    [TestCase(128, null, "exited with code 128")]
    [TestCase(137, 9, "killed by SIGKILL (out of memory?)")]
    [TestCase(143, 15, "terminated by SIGTERM")]
    [TestCase(139, 11, "terminated by SIGSEGV")]
    [TestCase(134, 6, "terminated by SIGABRT")]
    [TestCase(255, null, "exited with code 255")]
    public void Codes_above_128_read_as_the_signal_that_ended_the_process(int code, int? signal, string description)
    {
        var status = new ProcessExitStatus(code);

        Assert.That(status.Signal, Is.EqualTo(signal));
        Assert.That(status.Describe(), Is.EqualTo(description));
    }
}
