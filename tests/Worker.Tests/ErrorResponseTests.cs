using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Cluster.TestSupport;
using Cluster.Worker.Tests.Infrastructure;

namespace Cluster.Worker.Tests;

public sealed class ErrorResponseTests : WorkerTestBase
{
    private const int BodyLimit = 1_048_576;

    [TestCase("/no/such/thing")]
    [TestCase("/users/abc")]
    [TestCase("/debug/slow?ms=1")]
    public async Task UnknownPath_AnswersJson404WithThePath(string path)
    {
        // Test endpoints are off here: /debug/slow must not exist unless WORKER_ENABLE_TEST_ENDPOINTS=1.
        var worker = await StartWorkerAsync();

        using var response = await worker.Client.GetAsync(path);
        var body = await response.ReadJsonAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(response.MediaType(), Is.EqualTo("application/json"));
        Assert.That(body["error"]?.GetValue<string>(), Is.EqualTo("Not found"));
        Assert.That(body["path"]?.GetValue<string>(), Is.EqualTo(path.Split('?')[0]));
    }

    [Test]
    public async Task WrongMethod_AnswersJson405()
    {
        var worker = await StartWorkerAsync();

        using var response = await worker.Client.DeleteAsync("/users");
        var body = await response.ReadJsonAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        Assert.That(response.MediaType(), Is.EqualTo("application/json"));
        Assert.That(body.ToJsonString(), Is.EqualTo("""{"error":"Method Not Allowed"}"""));
        Assert.That(response.Content.Headers.Allow, Is.EquivalentTo(new[] { "GET", "POST" }));
    }

    [Test]
    public async Task BodyOverOneMegabyte_AnswersJson413()
    {
        var worker = await StartWorkerAsync();
        // The worker rejects the declared length before reading any of the body. With 100-continue, and a client that
        // waits for the interim response as long as it takes, the body is then never sent; otherwise the client could
        // still be sending when the worker closes the connection, and see a reset instead of the 413.
        using var handler = new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(30) };
        using var client = new HttpClient(handler) { BaseAddress = worker.Client.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/users") { Content = JsonOfExactly(BodyLimit + 1) };
        request.Headers.ExpectContinue = true;

        using var response = await client.SendAsync(request);
        var body = await response.ReadJsonAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(response.MediaType(), Is.EqualTo("application/json"));
        Assert.That(body["error"]?.GetValue<string>(), Does.Contain("1048576"));
    }

    [Test]
    public async Task BodyOfExactlyOneMegabyte_IsAccepted()
    {
        var worker = await StartWorkerAsync();

        using var response = await worker.Client.PostAsync("/users", JsonOfExactly(BodyLimit));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    [Test]
    public async Task UnhandledException_AnswersJson500AndIsLoggedOnce()
    {
        var worker = await StartWorkerAsync(testEndpoints: true);

        using var response = await worker.Client.GetAsync("/debug/throw");
        var text = await response.Content.ReadAsStringAsync();
        var body = System.Text.Json.Nodes.JsonNode.Parse(text)!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(response.MediaType(), Is.EqualTo("application/json"));
        Assert.That(body.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "error", "traceId" }));
        Assert.That(body["error"]?.GetValue<string>(), Is.EqualTo("Internal server error"));
        var traceId = body["traceId"]?.GetValue<string>() ?? "";
        Assert.That(traceId, Is.Not.Empty);
        Assert.That(text, Does.Not.Contain("InvalidOperationException").And.Not.Contain("Failure requested"));

        // Stop the worker so that every log line has been written before counting.
        worker.Process.Signal(Posix.SIGTERM);
        Assert.That(await worker.Process.WaitForExitAsync(ExitTimeout), Is.True);
        var logged = worker.Process.MatchingLines("InvalidOperationException: Failure requested through /debug/throw");
        Assert.That(logged, Has.Count.EqualTo(1), worker.Process.Output);
        Assert.That(worker.Process.MatchingLines($@"fail: .*unhandled exception on GET /debug/throw \(traceId {traceId}\)"), Has.Count.EqualTo(1));
    }

    /// <summary>A JSON object for a valid new user, padded with an extra property to exactly this many bytes.</summary>
    private static ByteArrayContent JsonOfExactly(int bytes)
    {
        const string prefix = "{\"name\":\"Ann\",\"email\":\"ann@example.com\",\"padding\":\"";
        const string suffix = "\"}";
        var json = prefix + new string('x', bytes - prefix.Length - suffix.Length) + suffix;
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        Assert.That(content.Headers.ContentLength, Is.EqualTo(bytes));
        return content;
    }
}
