using System.Globalization;
using System.Net;
using Cluster.TestSupport;
using Cluster.Worker.Tests.Infrastructure;

namespace Cluster.Worker.Tests;

public sealed class UserStoreTests : WorkerTestBase
{
    [Test]
    public async Task PostUsers_CreatesAUserThatBothGetsReturn()
    {
        var worker = await StartWorkerAsync();

        using var created = await worker.Client.PostUserAsync(" Ann Lee ", "ann.lee+tag@mail.example.co.uk");
        var user = await created.ReadJsonAsync();

        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), user.ToJsonString());
        Assert.That(created.Headers.Location?.OriginalString, Is.EqualTo("/users/1"));
        Assert.That(user.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "id", "name", "email", "createdAt" }));
        Assert.That(user["id"]?.GetValue<long>(), Is.EqualTo(1));
        Assert.That(user["name"]?.GetValue<string>(), Is.EqualTo("Ann Lee"));
        Assert.That(user["email"]?.GetValue<string>(), Is.EqualTo("ann.lee+tag@mail.example.co.uk"));
        var createdAt = user["createdAt"]?.GetValue<string>() ?? "";
        Assert.That(createdAt, Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$"));
        Assert.That(DateTime.Parse(createdAt, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal).Year, Is.GreaterThanOrEqualTo(2024));

        using var byId = await worker.Client.GetAsync("/users/1");
        Assert.That(byId.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await byId.ReadJsonAsync()).ToJsonString(), Is.EqualTo(user.ToJsonString()));

        using var list = await worker.Client.GetAsync("/users");
        Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await list.ReadJsonAsync()).ToJsonString(), Is.EqualTo($"[{user.ToJsonString()}]"));
    }

    [Test]
    public async Task GetUsers_ListsUsersOrderedById()
    {
        var worker = await StartWorkerAsync();
        using (var empty = await worker.Client.GetAsync("/users"))
        {
            Assert.That((await empty.ReadJsonAsync()).ToJsonString(), Is.EqualTo("[]"));
        }

        foreach (var name in new[] { "Cleo", "Ann", "Bob" })
        {
            using var created = await worker.Client.PostUserAsync(name, $"{name.ToLowerInvariant()}@example.com");
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        }

        using var list = await worker.Client.GetAsync("/users");
        var users = (await list.ReadJsonAsync()).AsArray();

        Assert.That(users.Select(u => u?["id"]?.GetValue<long>()), Is.EqualTo(new long?[] { 1, 2, 3 }));
        Assert.That(users.Select(u => u?["name"]?.GetValue<string>()), Is.EqualTo(new[] { "Cleo", "Ann", "Bob" }));
    }

    [Test]
    public async Task PostUsers_RejectsADuplicateEmailWhateverItsCase()
    {
        var worker = await StartWorkerAsync();
        using (var first = await worker.Client.PostUserAsync("Ann", "ann@example.com"))
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        }

        using var duplicate = await worker.Client.PostUserAsync("Another Ann", "ANN@Example.COM");
        var body = await duplicate.ReadJsonAsync();

        Assert.That(duplicate.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(duplicate.MediaType(), Is.EqualTo("application/json"));
        Assert.That(body["error"]?.GetValue<string>(), Is.EqualTo("A user with this email already exists."));
        using var list = await worker.Client.GetAsync("/users");
        Assert.That((await list.ReadJsonAsync()).AsArray(), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task GetUserById_AnswersJson404ForAnUnknownId()
    {
        var worker = await StartWorkerAsync();

        using var response = await worker.Client.GetAsync("/users/999");
        var body = await response.ReadJsonAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(body.ToJsonString(), Is.EqualTo("""{"error":"User 999 not found."}"""));
    }

    [Test]
    public async Task Users_SurviveARestartOfTheWorker()
    {
        var first = await StartWorkerAsync();
        using (var created = await first.Client.PostUserAsync("Ann", "ann@example.com"))
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        }

        first.Process.Signal(Posix.SIGTERM);
        Assert.That(await first.Process.WaitForExitAsync(ExitTimeout), Is.True, "worker did not stop on SIGTERM");

        var second = await StartWorkerAsync(workerId: 1);
        using var list = await second.Client.GetAsync("/users");
        var users = (await list.ReadJsonAsync()).AsArray();

        Assert.That(users.Select(u => u?["email"]?.GetValue<string>()), Is.EqualTo(new[] { "ann@example.com" }));
    }
}
