using Cluster.Supervisor.Workers.Notify;

namespace Cluster.Supervisor.Tests.Workers;

public sealed class NotifyMessageTests
{
    [Test]
    public void The_assignments_the_supervisor_acts_on_are_read()
    {
        var message = NotifyMessage.Parse("READY=1\nSTATUS=serving 4 threads\nWATCHDOG_USEC=2500000\nWATCHDOG=1\nMAINPID=42\n");

        Assert.That(message, Is.EqualTo(new NotifyMessage { Ready = true, Status = "serving 4 threads", WatchdogTimeout = TimeSpan.FromSeconds(2.5), WatchdogPing = true }));
    }

    [TestCase("STOPPING=1", false, true, false)]
    [TestCase("RELOADING=1", false, false, true)]
    [TestCase("READY=0", false, false, false)]
    [TestCase("READY", false, false, false)]
    [TestCase("=1", false, false, false)]
    [TestCase("", false, false, false)]
    public void Other_and_malformed_lines_are_recorded_or_ignored(string datagram, bool ready, bool stopping, bool reloading)
    {
        var message = NotifyMessage.Parse(datagram);

        Assert.That((message.Ready, message.Stopping, message.Reloading), Is.EqualTo((ready, stopping, reloading)));
    }

    [Test]
    public void A_watchdog_trigger_and_a_bad_timeout_are_told_apart()
    {
        Assert.That(NotifyMessage.Parse("WATCHDOG=trigger").WatchdogTrigger, Is.True);
        Assert.That(NotifyMessage.Parse("WATCHDOG_USEC=soon").WatchdogTimeout, Is.Null);
        Assert.That(NotifyMessage.Parse("WATCHDOG_USEC=0").WatchdogTimeout, Is.Null);
    }
}
