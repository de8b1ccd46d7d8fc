namespace Cluster.Supervisor.Tests.Configuration;

/// <summary>A fresh <see cref="ConfigFixture"/> (temporary folder, fake "server" on PATH) for every test.</summary>
public abstract class ConfigTestBase
{
    internal ConfigFixture Fixture { get; private set; } = null!;

    [SetUp]
    public void CreateFixture() => Fixture = new ConfigFixture();

    [TearDown]
    public void DeleteFixture() => Fixture.Dispose();
}
