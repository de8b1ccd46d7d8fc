using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cluster.Worker.Tests.Infrastructure;

namespace Cluster.Worker.Tests;

/// <summary>POST /users bodies that are well-formed JSON objects but break a field rule: 400 validation problems.</summary>
public sealed class UserValidationTests : WorkerTestBase
{
    private static readonly string LongName = new('n', 101);
    private static readonly string LongEmail = new string('e', 243) + "@example.com";

    private static IEnumerable<TestCaseData> SingleFieldCases()
    {
        yield return Case("""{"email":"ann@example.com"}""", "name", "Name is required.").SetName("MissingName");
        yield return Case("""{"name":null,"email":"ann@example.com"}""", "name", "Name is required.").SetName("NullName");
        yield return Case("""{"name":"   ","email":"ann@example.com"}""", "name", "Name is required.").SetName("BlankName");
        yield return Case(Body(LongName, "ann@example.com"), "name", "Name must be at most 100 characters.").SetName("NameOf101Characters");
        yield return Case("""{"name":"Ann"}""", "email", "Email is required.").SetName("MissingEmail");
        yield return Case("""{"name":"Ann","email":"  "}""", "email", "Email is required.").SetName("BlankEmail");
        yield return Case(Body("Ann", LongEmail), "email", "Email must be at most 254 characters.").SetName("EmailOf255Characters");
    }

    private static IEnumerable<string> InvalidEmails() =>
    [
        "plainaddress",
        "ann@",
        "@example.com",
        "ann@localhost",
        "Ann <ann@example.com>",
        "ann@@example.com",
        "ann example@example.com",
        "ann@example.",
        "ann@.example.com",
    ];

    [TestCaseSource(nameof(SingleFieldCases))]
    public async Task PostUsers_RejectsTheBrokenField(string body, string field, string message)
    {
        var worker = await StartWorkerAsync();

        using var response = await worker.Client.PostTextAsync("users", body);

        await AssertValidationProblemAsync(response, new Dictionary<string, string> { [field] = message });
    }

    [Test]
    public async Task PostUsers_RejectsInvalidEmails([ValueSource(nameof(InvalidEmails))] string email)
    {
        var worker = await StartWorkerAsync();

        using var response = await worker.Client.PostUserAsync("Ann", email);

        await AssertValidationProblemAsync(response, new Dictionary<string, string> { ["email"] = "Email must be a valid address." });
    }

    [Test]
    public async Task PostUsers_ReportsBothFieldsAtOnce()
    {
        var worker = await StartWorkerAsync();

        using var response = await worker.Client.PostUserAsync("", "not-an-email");

        await AssertValidationProblemAsync(response, new Dictionary<string, string>
        {
            ["name"] = "Name is required.",
            ["email"] = "Email must be a valid address.",
        });
    }

    [Test]
    public async Task PostUsers_ReportsBothFieldsOfAnEmptyObject()
    {
        var worker = await StartWorkerAsync();

        using var response = await worker.Client.PostTextAsync("users", "{}");

        await AssertValidationProblemAsync(response, new Dictionary<string, string>
        {
            ["name"] = "Name is required.",
            ["email"] = "Email is required.",
        });
    }

    [Test]
    public async Task PostUsers_AcceptsLimitLengthsAndTrimsBothFields()
    {
        var worker = await StartWorkerAsync();
        var name = new string('n', 100);
        var email = new string('e', 242) + "@example.com";

        using var response = await worker.Client.PostUserAsync($"  {name}  ", $" {email} ");
        var body = await response.ReadJsonAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), body.ToJsonString());
        Assert.That(body["name"]?.GetValue<string>(), Is.EqualTo(name));
        Assert.That(body["email"]?.GetValue<string>(), Is.EqualTo(email));
        Assert.That(email, Has.Length.EqualTo(254));
    }

    private static TestCaseData Case(string body, string field, string message) => new(body, field, message);

    private static string Body(string name, string email) => JsonSerializer.Serialize(new { name, email });

    private static async Task AssertValidationProblemAsync(HttpResponseMessage response, Dictionary<string, string> expected)
    {
        var body = await response.ReadJsonAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), body.ToJsonString());
        Assert.That(response.MediaType(), Is.EqualTo("application/problem+json"));
        Assert.That(body["status"]?.GetValue<int>(), Is.EqualTo(400));

        var errors = body["errors"]?.AsObject() ?? throw new AssertionException($"no errors object in {body.ToJsonString()}");
        var actual = errors.ToDictionary(e => e.Key, e => e.Value?.AsArray().Select(m => m?.GetValue<string>()).ToArray());
        Assert.That(actual.Keys, Is.EquivalentTo(expected.Keys));
        foreach (var (field, message) in expected)
        {
            Assert.That(actual[field], Is.EqualTo(new[] { message }), $"errors.{field}");
        }
    }
}
