namespace Cluster.Supervisor.Tests.Configuration;

/// <summary>proxy.requestStartHeader: off unless set, a boolean, and only where a front end sees the requests.</summary>
public sealed class RequestStartHeaderConfigTests : ConfigTestBase
{
    private const string Worker = "\"worker\": { \"command\": \"server\" }";

    [Test]
    public void It_is_off_unless_set_and_read_as_a_boolean()
    {
        Assert.That(Fixture.LoadValid($$"""{ {{Worker}} }""").Proxy.RequestStartHeader, Is.False);
        Assert.That(Fixture.LoadValid($$"""{ {{Worker}}, "proxy": { "requestStartHeader": true } }""").Proxy.RequestStartHeader, Is.True);
        Assert.That(Fixture.OnlyError($$"""{ {{Worker}}, "proxy": { "requestStartHeader": "yes" } }"""), Does.StartWith("$.proxy.requestStartHeader: expected true or false"));
    }

    [Test]
    public void With_a_shared_socket_it_is_refused_as_every_proxy_key_is() =>
        Assert.That(
            Fixture.OnlyError($$"""{ "frontEnd": "sharedSocket", {{Worker}}, "proxy": { "requestStartHeader": true } }"""),
            Is.EqualTo("$.proxy.requestStartHeader: cannot be combined with \"frontEnd\": \"sharedSocket\" ($.frontEnd): the workers accept connections themselves, so no front end sees the requests to forward, retry, time out or balance; remove one of the two"));
}
