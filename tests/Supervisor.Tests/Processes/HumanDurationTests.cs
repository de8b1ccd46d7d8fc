using Cluster.Supervisor.Logging;

namespace Cluster.Supervisor.Tests.Processes;

public sealed class HumanDurationTests
{
    [TestCase(0, "0ms")]
    [TestCase(850, "850ms")]
    [TestCase(1500, "1.5s")]
    [TestCase(12_300, "12s")]
    [TestCase(192_000, "3m12s")]
    [TestCase(18_240_000, "5h04m")]
    [TestCase(183_600_000, "2d03h")]
    public void Formats_for_people(long milliseconds, string expected) =>
        Assert.That(HumanDuration.Format(TimeSpan.FromMilliseconds(milliseconds)), Is.EqualTo(expected));
}
