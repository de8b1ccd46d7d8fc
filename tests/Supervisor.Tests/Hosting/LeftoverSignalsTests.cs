using Cluster.Shared.Configuration;
using Cluster.Supervisor.Hosting.PidFiles;
using Cluster.Supervisor.Workers;
using Cluster.TestSupport;

namespace Cluster.Supervisor.Tests.Hosting;

/// <summary>A previous supervisor's leftovers are each asked to stop with their own app's worker.stopSignal, else SIGTERM.</summary>
public sealed class LeftoverSignalsTests
{
    private static AppConfig App(string name, StopSignal signal) => new() { Name = name, Worker = new WorkerConfig { StopSignal = signal } };

    private static PidFileContent Previous(params RecordedWorker[] workers) => new(new RecordedProcess(4_194_305, 1), "/srv/app/supervisor.json", workers);

    [Test]
    public void Each_leftover_gets_its_apps_stop_signal_a_workers_child_its_workers_and_the_rest_SIGTERM()
    {
        var previous = Previous(new(0, 101, 5, "shop"), new(0, 201, 5, "api"), new(1, 301, 5, "gone"), new(1, 401, 5, "site"));
        AppConfig[] apps = [App("shop", StopSignal.Quit), App("api", StopSignal.Interrupt), App("site", StopSignal.Terminate)];

        var plan = LeftoverSignals.Plan(previous, [(101, 101), (102, 101), (201, 201), (301, 301), (401, 401), (999, 998)], apps);

        Assert.That(plan.Select(l => (l.Pid, l.Signal)), Is.EqualTo(new[]
        {
            (101, StopSignal.Quit),
            (102, StopSignal.Quit),
            (201, StopSignal.Interrupt),
            (301, StopSignal.Terminate),
            (401, StopSignal.Terminate),
            (999, StopSignal.Terminate),
        }));
        Assert.That(plan.Select(l => l.Description), Is.EqualTo(new[]
        {
            "worker 0 of app shop pid 101 (SIGQUIT)",
            "pid 102 (child of worker 0 of app shop) (SIGQUIT)",
            "worker 0 of app api pid 201 (SIGINT)",
            "worker 1 of app gone pid 301 (SIGTERM)",
            "worker 1 of app site pid 401 (SIGTERM)",
            "pid 999 (SIGTERM)",
        }));
    }

    [Test]
    public void A_pid_file_that_names_no_app_is_one_of_the_one_app_default()
    {
        var plan = LeftoverSignals.Plan(Previous(new RecordedWorker(0, 101, 5)), [(101, 101)], [App(AppConfig.DefaultName, StopSignal.Interrupt)]);

        Assert.That(plan.Single().Signal, Is.EqualTo(StopSignal.Interrupt));
        Assert.That(plan.Single().Description, Is.EqualTo("worker 0 pid 101 (SIGINT)"));
    }

    [Test]
    public void The_pid_file_records_each_workers_app()
    {
        using var folder = new TempFolder("pidfile");
        var path = Path.Combine(folder.Path, "app.pids.json");
        var pidFile = new PidFile(path, "/srv/app/supervisor.json");

        // This test's own process stands for a running worker: the pid file keeps only processes it can find.
        pidFile.Record([new WorkerEndpoint("shop", 3, Environment.ProcessId, 8080)]);

        var recorded = PidFile.Read(path).Content!.Workers.Single();
        Assert.That((recorded.App, recorded.Id, recorded.Pid), Is.EqualTo(("shop", 3, Environment.ProcessId)));
    }
}
