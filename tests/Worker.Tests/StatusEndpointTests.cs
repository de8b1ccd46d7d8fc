using System.Net;
using Cluster.Worker.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Cluster.Worker.Tests;

public sealed class StatusEndpointTests : WorkerTestBase
{
    [Test]
    public async Task Root_AnswersWithTheWorkerIdAndTheRealPid()
    {
        var worker = await StartWorkerAsync(workerId: 7);

        using var response = await worker.Client.GetAsync("/");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.MediaType(), Is.EqualTo("text/plain"));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo($"Hello from worker 7 (pid {worker.Process.Pid})\n"));
    }

    [Test]
    public async Task Healthz_ReportsOkWithWorkerIdAndPid()
    {
        var worker = await StartWorkerAsync(workerId: 3);

        using var response = await worker.Client.GetAsync("/healthz");
        var body = await response.ReadJsonAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.MediaType(), Is.EqualTo("application/json"));
        Assert.That(body.ToJsonString(), Is.EqualTo($$"""{"status":"ok","workerId":3,"pid":{{worker.Process.Pid}}}"""));
    }

    [Test]
    public async Task Healthz_Answers503WhileTheUsersTableIsMissing_AndRecovers()
    {
        var worker = await StartWorkerAsync(workerId: 2);

        RunSql("ALTER TABLE users RENAME TO users_elsewhere;");
        using var broken = await worker.Client.GetAsync("/healthz");
        var brokenBody = await broken.ReadJsonAsync();
        RunSql("ALTER TABLE users_elsewhere RENAME TO users;");
        using var repaired = await worker.Client.GetAsync("/healthz");

        Assert.That(broken.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(broken.MediaType(), Is.EqualTo("application/json"));
        Assert.That(brokenBody["status"]?.GetValue<string>(), Is.EqualTo("unhealthy"));
        Assert.That(brokenBody["workerId"]?.GetValue<int>(), Is.EqualTo(2));
        Assert.That(brokenBody["pid"]?.GetValue<int>(), Is.EqualTo(worker.Process.Pid));
        Assert.That(brokenBody["error"]?.GetValue<string>(), Does.Contain("no such table: users"));
        Assert.That(repaired.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    private void RunSql(string sql)
    {
        SQLitePCL.Batteries_V2.Init();
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
