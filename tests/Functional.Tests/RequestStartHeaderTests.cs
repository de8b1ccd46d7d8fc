using System.Globalization;
using System.Text.Json.Nodes;
using Cluster.TestSupport;

namespace Cluster.Functional.Tests;

/// <summary>proxy.requestStartHeader: X-Request-Start: t=&lt;µs since the Unix epoch&gt; when the front end got the request.</summary>
public sealed class RequestStartHeaderTests : FunctionalTest
{
    [Test]
    public async Task The_worker_gets_the_time_the_front_end_received_the_request_in_place_of_the_clients_and_none_once_switched_off()
    {
        var config = SupervisorHarness.TestWorkerConfig(workers: 1);
        config["proxy"] = new JsonObject { ["requestStartHeader"] = true };
        var supervisor = Start(config);
        await supervisor.WaitForAllWorkersAsync(1);

        var before = MicrosecondsNow();
        var stamped = await HeadersAsync(supervisor, clientValue: "t=1");
        var after = MicrosecondsNow();

        Assert.That((string?)stamped["X-Request-Start"], Does.Match(@"^t=\d{16}$"), "t= and the microseconds since the epoch, the client's value replaced");
        var received = long.Parse(((string)stamped["X-Request-Start"]!)[2..], CultureInfo.InvariantCulture);
        Assert.That(received, Is.InRange(before, after), "between the test's own readings of the clock, before and after the request");

        config["proxy"] = new JsonObject { ["requestStartHeader"] = false };
        supervisor.RewriteConfig(config);
        supervisor.Process.Signal(Posix.SIGHUP);
        await supervisor.Process.WaitForLineAsync(@"configuration generation 2 applied \(SIGHUP\): proxy\.requestStartHeader true -> false", SupervisorHarness.Patience);
        var plain = await HeadersAsync(supervisor, clientValue: null);

        Assert.That(plain.ContainsKey("X-Request-Start"), Is.False, "switched off live: no header added");
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    private static long MicrosecondsNow() => (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;

    /// <summary>The request headers the worker received for GET /headers.</summary>
    private static async Task<JsonObject> HeadersAsync(SupervisorHarness supervisor, string? clientValue)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/headers");
        if (clientValue is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Request-Start", clientValue);
        }

        using var response = await supervisor.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }
}
