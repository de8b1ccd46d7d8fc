using System.Globalization;
using System.Net;
using Cluster.TestSupport;
using Cluster.Worker.Tests.Infrastructure;

namespace Cluster.Worker.Tests;

/// <summary>The worker's environment: PORT, WORKER_ID and USERS_DB, their defaults, and exit code 3 when they are wrong.</summary>
public sealed class ConfigurationTests : WorkerTestBase
{
    private const int BootError = 3;

    [TestCase("abc")]
    [TestCase("")]
    [TestCase("0")]
    [TestCase("65536")]
    [TestCase("-80")]
    [TestCase("80.5")]
    [TestCase(" 8080")]
    public async Task InvalidPort_ExitsWithCode3AndSaysWhyOnStderr(string port)
    {
        var process = await RunToExitAsync(new Dictionary<string, string?> { ["PORT"] = port, ["USERS_DB"] = DatabasePath });

        Assert.That(process.ExitCode, Is.EqualTo(BootError));
        Assert.That(process.StandardError, Is.EqualTo(new[] { $"worker: invalid PORT \"{port}\": expected an integer from 1 to 65535" }));
        Assert.That(process.StandardOutput, Is.Empty);
        Assert.That(File.Exists(DatabasePath), Is.False, "a worker with a bad configuration touched the database");
    }

    [TestCase("x")]
    [TestCase("-1")]
    public async Task InvalidWorkerId_ExitsWithCode3AndSaysWhyOnStderr(string workerId)
    {
        var process = await RunToExitAsync(new Dictionary<string, string?>
        {
            ["PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["WORKER_ID"] = workerId,
            ["USERS_DB"] = DatabasePath,
        });

        Assert.That(process.ExitCode, Is.EqualTo(BootError));
        Assert.That(process.StandardError, Is.EqualTo(new[] { $"worker: invalid WORKER_ID \"{workerId}\": expected a non-negative integer" }));
    }

    [Test]
    public async Task UnusableDatabasePath_ExitsWithCode3()
    {
        // A directory where the database file should be: SQLite cannot open it.
        var process = await RunToExitAsync(new Dictionary<string, string?>
        {
            ["PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["USERS_DB"] = Sandbox,
        });

        Assert.That(process.ExitCode, Is.EqualTo(BootError));
        Assert.That(process.StandardOutput, Has.Some.Contains($"cannot use the users database {Sandbox}"));
    }

    [Test]
    public async Task MissingPort_DefaultsTo5000AndSaysSo()
    {
        var process = StartRawProcess(new Dictionary<string, string?> { ["PORT"] = null, ["USERS_DB"] = DatabasePath });

        // Whether 5000 is free on this machine does not matter: the line comes before the worker tries to listen.
        var said = await Eventually.TrueAsync(
            () => process.StandardOutput.Any(l => l.Contains("PORT is not set; defaulting to 5000", StringComparison.Ordinal)),
            StartTimeout);

        Assert.That(said, Is.True, string.Join('\n', process.StandardOutput));
    }

    [Test]
    public async Task MissingWorkerIdAndDatabase_DefaultToZeroAndDataUsersDbInTheWorkingDirectory()
    {
        var port = FreePort.Next();
        var process = StartRawProcess(new Dictionary<string, string?>
        {
            ["PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["WORKER_ID"] = null,
            ["USERS_DB"] = null,
        });
        var listening = await Eventually.TrueAsync(
            () => process.StandardOutput.Any(l => l.Contains($"worker 0 listening on http://127.0.0.1:{port}", StringComparison.Ordinal)),
            StartTimeout);
        Assert.That(listening, Is.True, string.Join('\n', process.StandardOutput.Concat(process.StandardError)));

        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = Waits.Patience };
        using var created = await client.PostUserAsync("Ann", "ann@example.com");
        var greeting = await client.GetStringAsync("/");

        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(greeting, Is.EqualTo($"Hello from worker 0 (pid {process.Pid})\n"));
        Assert.That(File.Exists(Path.Combine(Sandbox, "data", "users.db")), Is.True);
    }

    [Test]
    public async Task Worker_ListensOnLoopbackPortOnly_WhateverAddressesItInherits()
    {
        var urlsPort = FreePort.Next();
        var kestrelPort = FreePort.Next();
        var worker = await StartWorkerAsync(extraEnvironment: new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://0.0.0.0:{urlsPort}",
            ["Kestrel__Endpoints__Extra__Url"] = $"http://0.0.0.0:{kestrelPort}",
        });

        var listening = ListeningSockets.Of(worker.Process.Pid);

        Assert.That(listening, Is.EqualTo(new[] { new IPEndPoint(IPAddress.Loopback, worker.Port) }));
    }
}
