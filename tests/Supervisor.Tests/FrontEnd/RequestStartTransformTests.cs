using Cluster.Shared.Configuration;
using Cluster.Supervisor.FrontEnd;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Cluster.Supervisor.Tests.FrontEnd;

/// <summary>X-Request-Start on the forwarded request: the time received, the client's replaced; a retry keeps the first arrival.</summary>
public sealed class RequestStartTransformTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 10, 0, 0, 123, 456, TimeSpan.Zero);

    [Test]
    public async Task On_it_replaces_the_clients_value_with_the_microseconds_since_the_epoch_at_arrival()
    {
        var forwarded = await TransformAsync(requestStart: true, clientValue: "t=1");

        Assert.That(forwarded.Headers.GetValues("X-Request-Start"), Is.EqualTo(new[] { "t=1796551200123456" }));
    }

    [Test]
    public async Task A_retry_carries_the_time_the_request_first_arrived_not_the_time_of_its_second_attempt()
    {
        var firstArrival = Now - TimeSpan.FromSeconds(3);

        var forwarded = await TransformAsync(requestStart: true, clientValue: null, received: firstArrival);

        Assert.That(forwarded.Headers.GetValues("X-Request-Start"), Is.EqualTo(new[] { ForwardedHeadersTransformer.RequestStartValue(firstArrival) }));
        Assert.That(ForwardedHeadersTransformer.RequestStartValue(firstArrival), Is.EqualTo("t=1796551197123456"));
    }

    [Test]
    public async Task Off_it_adds_nothing_and_leaves_a_clients_header_alone()
    {
        Assert.That((await TransformAsync(requestStart: false, clientValue: null)).Headers.Contains("X-Request-Start"), Is.False);
        Assert.That((await TransformAsync(requestStart: false, clientValue: "t=1")).Headers.GetValues("X-Request-Start"), Is.EqualTo(new[] { "t=1" }));
    }

    private static async Task<HttpRequestMessage> TransformAsync(bool requestStart, string? clientValue, DateTimeOffset? received = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("example.test");
        context.Request.Path = "/";
        if (clientValue is not null)
        {
            context.Request.Headers["X-Request-Start"] = clientValue;
        }

        if (received is { } at)
        {
            context.Features.Set(new RequestReceivedFeature(at));
        }

        var transformer = new ForwardedHeadersTransformer(ForwardedHeadersMode.Set, requestStart, new FakeTimeProvider(Now));
        var forwarded = new HttpRequestMessage();
        await transformer.TransformRequestAsync(context, forwarded, "http://127.0.0.1:5000/", CancellationToken.None);
        return forwarded;
    }
}
