using System.Net;
using Cluster.Worker.Tests.Infrastructure;

namespace Cluster.Worker.Tests;

/// <summary>POST /users bodies that cannot be read as a user at all: JSON error bodies, not validation problems.</summary>
public sealed class UserRequestBodyTests : WorkerTestBase
{
    [TestCase("""{"name":"Ann",""", TestName = "TruncatedObject")]
    [TestCase("{name:'Ann'}", TestName = "UnquotedNames")]
    [TestCase("", TestName = "EmptyBody")]
    public async Task PostUsers_RejectsMalformedJson(string body)
    {
        var worker = await StartWorkerAsync();

        using var response = await worker.Client.PostTextAsync("users", body);

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "Request body must be valid JSON.");
    }

    [TestCase("""[{"name":"Ann","email":"ann@example.com"}]""", TestName = "Array")]
    [TestCase("\"Ann\"", TestName = "String")]
    [TestCase("42", TestName = "Number")]
    [TestCase("null", TestName = "Null")]
    public async Task PostUsers_RejectsJsonThatIsNotAnObject(string body)
    {
        var worker = await StartWorkerAsync();

        using var response = await worker.Client.PostTextAsync("users", body);

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "Request body must be a JSON object.");
    }

    [Test]
    public async Task PostUsers_RejectsAFieldOfTheWrongType()
    {
        var worker = await StartWorkerAsync();

        using var response = await worker.Client.PostTextAsync("users", """{"name":5,"email":"ann@example.com"}""");

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "Invalid value at $.name: name and email must be strings.");
    }

    [TestCase("text/plain", TestName = "TextPlain")]
    [TestCase("application/x-www-form-urlencoded", TestName = "Form")]
    [TestCase(null, TestName = "NoContentType")]
    public async Task PostUsers_RejectsOtherContentTypes(string? contentType)
    {
        var worker = await StartWorkerAsync();

        using var response = await worker.Client.PostTextAsync("users", """{"name":"Ann","email":"ann@example.com"}""", contentType);

        await AssertErrorAsync(response, HttpStatusCode.UnsupportedMediaType, "Content-Type must be application/json.");
    }

    [Test]
    public async Task PostUsers_RejectsACharsetItCannotDecode()
    {
        var worker = await StartWorkerAsync();

        using var response = await worker.Client.PostTextAsync(
            "users", """{"name":"Ann","email":"ann@example.com"}""", "application/json; charset=no-such-charset");

        await AssertErrorAsync(response, HttpStatusCode.UnsupportedMediaType, "Unsupported charset: send JSON in UTF-8.");
    }

    [Test]
    public async Task PostUsers_AcceptsJsonWithACharset()
    {
        var worker = await StartWorkerAsync();

        using var response = await worker.Client.PostTextAsync(
            "users", """{"name":"Ann","email":"ann@example.com"}""", "application/json; charset=utf-8");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error)
    {
        var body = await response.ReadJsonAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), body.ToJsonString());
        Assert.That(response.MediaType(), Is.EqualTo("application/json"));
        Assert.That(body.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "error" }));
        Assert.That(body["error"]?.GetValue<string>(), Is.EqualTo(error));
    }
}
