using System.Net;
using Cluster.Worker.Tests.Infrastructure;

namespace Cluster.Worker.Tests;

/// <summary>Workers are separate processes: users created through one must be visible through every other.</summary>
public sealed class SharedStorageTests : WorkerTestBase
{
    private const int UsersPerWorker = 20;

    [Test]
    public async Task TwoWorkersWritingConcurrently_BothListEveryUser()
    {
        // Started together on a database that does not exist yet: schema creation races too.
        var workers = await Task.WhenAll(StartWorkerAsync(workerId: 0), StartWorkerAsync(workerId: 1));

        var posts = workers.SelectMany(worker => Enumerable.Range(0, UsersPerWorker).Select(async i =>
        {
            using var response = await worker.Client.PostUserAsync($"User {worker.WorkerId}-{i}", $"user{worker.WorkerId}-{i}@example.com");
            return response.StatusCode;
        }));
        var statuses = await Task.WhenAll(posts);

        Assert.That(statuses, Has.All.EqualTo(HttpStatusCode.Created));
        var expectedEmails = workers
            .SelectMany(worker => Enumerable.Range(0, UsersPerWorker).Select(i => $"user{worker.WorkerId}-{i}@example.com"))
            .ToList();
        foreach (var worker in workers)
        {
            using var list = await worker.Client.GetAsync("/users");
            var users = (await list.ReadJsonAsync()).AsArray();
            Assert.That(users.Select(u => u?["email"]?.GetValue<string>()), Is.EquivalentTo(expectedEmails), $"worker {worker.WorkerId}");
            Assert.That(users.Select(u => u?["id"]?.GetValue<long>()), Is.EqualTo(Enumerable.Range(1, 2 * UsersPerWorker).Select(i => (long?)i)), $"worker {worker.WorkerId}");
        }
    }

    [Test]
    public async Task DuplicateEmail_IsRejectedAcrossWorkers()
    {
        var workers = await Task.WhenAll(StartWorkerAsync(workerId: 0), StartWorkerAsync(workerId: 1));
        using (var first = await workers[0].Client.PostUserAsync("Ann", "ann@example.com"))
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        }

        using var second = await workers[1].Client.PostUserAsync("Ann again", "Ann@Example.com");

        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
    }
}
