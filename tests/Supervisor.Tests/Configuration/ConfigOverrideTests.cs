using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Tests.Configuration;

public sealed class ConfigOverrideTests : ConfigTestBase
{
    private const string File = """{ "workers": 2, "listen": "http://127.0.0.1:8080", "worker": { "command": "server" } }""";
    [Test]
    public void Without_flags_the_file_wins()
    {
        var config = Fixture.LoadValid(File);

        Assert.That((config.DefaultApp().Workers.Count, config.ListenDescription), Is.EqualTo((2, "http://127.0.0.1:8080")));
    }

    [Test]
    public void Flags_override_the_file()
    {
        var config = Fixture.LoadValid(File, new ConfigOverrides { Workers = "5", Listen = "http://0.0.0.0:9090" });

        Assert.That(config.DefaultApp().Workers, Is.EqualTo(new WorkerCount(5, IsAuto: false)));
        Assert.That(config.ListenDescription, Is.EqualTo("http://0.0.0.0:9090"));
    }

    [Test]
    public void Workers_auto_on_the_command_line_overrides_a_number_in_the_file() =>
        Assert.That(Fixture.LoadValid(File, new ConfigOverrides { Workers = "auto" }).DefaultApp().Workers, Is.EqualTo(new WorkerCount(6, IsAuto: true)));

    [Test]
    public void A_flag_sets_a_key_the_file_does_not_have() =>
        Assert.That(Fixture.LoadValid("""{ "worker": { "command": "server" } }""", new ConfigOverrides { Workers = "3" }).DefaultApp().Workers.Count, Is.EqualTo(3));

    [Test]
    public void A_bad_flag_value_is_reported_under_the_flags_name() =>
        Assert.That(
            Fixture.OnlyError(File, new ConfigOverrides { Workers = "lots" }),
            Is.EqualTo("--workers: expected \"auto\" or an integer from 1 to 1024, got a string (\"lots\")"));

    [Test]
    public void A_bad_listen_flag_is_reported_under_the_flags_name() =>
        Assert.That(Fixture.OnlyError(File, new ConfigOverrides { Listen = "http://example.com:1" }), Does.StartWith("--listen: expected a URL"));

    [Test]
    public void A_flag_overrides_even_a_bad_file_value() =>
        Assert.That(Fixture.LoadValid("""{ "workers": 0, "worker": { "command": "server" } }""", new ConfigOverrides { Workers = "2" }).DefaultApp().Workers.Count, Is.EqualTo(2));
}
