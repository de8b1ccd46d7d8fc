using Cluster.Shared.Accounts;
using Cluster.Shared.Configuration;
using Cluster.Supervisor.FileSafety;
using Cluster.Supervisor.Processes;
using Cluster.Supervisor.Tests.Fakes;
using Cluster.Supervisor.Workers.Launching;

namespace Cluster.Supervisor.Tests.Workers;

public sealed class WorkerStartInfoTests
{
    [Test]
    public void The_worker_gets_PORT_WORKER_ID_and_SUPERVISOR_PID()
    {
        var info = WorkerStartInfo.Build(TestConfigs.Create().DefaultApp().Worker, workerId: 3, port: 41234, supervisorPid: 777);

        Assert.That(info.Environment["PORT"], Is.EqualTo("41234"));
        Assert.That(info.Environment["WORKER_ID"], Is.EqualTo("3"));
        Assert.That(info.Environment["SUPERVISOR_PID"], Is.EqualTo("777"));
    }

    [Test]
    public void Placeholders_in_args_and_env_values_are_replaced_every_time_they_appear()
    {
        var worker = TestConfigs.Create().DefaultApp().Worker with
        {
            Args = ["-m", "http.server", "{port}", "--bind", "127.0.0.1", "--tag={id}-{id}"],
            Env = new Dictionary<string, string> { ["ASPNETCORE_URLS"] = "http://127.0.0.1:{port}", ["LOG_FILE"] = "logs/worker-{id}.log" },
        };

        var info = WorkerStartInfo.Build(worker, workerId: 2, port: 5001, supervisorPid: 1);

        Assert.That(info.Arguments, Is.EqualTo(new[] { "-m", "http.server", "5001", "--bind", "127.0.0.1", "--tag=2-2" }));
        Assert.That(info.Environment["ASPNETCORE_URLS"], Is.EqualTo("http://127.0.0.1:5001"));
        Assert.That(info.Environment["LOG_FILE"], Is.EqualTo("logs/worker-2.log"));
    }

    [Test]
    public void The_contract_variables_win_over_worker_env()
    {
        var worker = TestConfigs.Create().DefaultApp().Worker with { Env = new Dictionary<string, string> { ["PORT"] = "80", ["WORKER_ID"] = "9" } };

        var info = WorkerStartInfo.Build(worker, workerId: 0, port: 6000, supervisorPid: 1);

        Assert.That((info.Environment["PORT"], info.Environment["WORKER_ID"]), Is.EqualTo(("6000", "0")));
    }

    [Test]
    public void Command_and_working_directory_come_from_the_config()
    {
        var info = WorkerStartInfo.Build(TestConfigs.Create().DefaultApp().Worker, workerId: 0, port: 6000, supervisorPid: 1);

        Assert.That((info.FileName, info.WorkingDirectory), Is.EqualTo(("/usr/bin/server", "/srv/app")));
    }

    [Test]
    public void A_worker_of_another_user_gets_its_HOME_USER_and_LOGNAME_unless_worker_env_sets_them()
    {
        var nobody = new ConfiguredUser("nobody", new UserAccount("nobody", 65534, 65534, "/nonexistent"));
        var worker = TestConfigs.Create().DefaultApp().Worker with { User = nobody };
        var ownHome = worker with { Env = new Dictionary<string, string> { ["HOME"] = "/srv/app/home-{id}" } };

        var info = WorkerStartInfo.Build(worker, workerId: 1, port: 6000, supervisorPid: 1);
        var withHome = WorkerStartInfo.Build(ownHome, workerId: 1, port: 6000, supervisorPid: 1);

        Assert.That((info.Environment["HOME"], info.Environment["USER"], info.Environment["LOGNAME"]), Is.EqualTo(("/nonexistent", "nobody", "nobody")));
        Assert.That((withHome.Environment["HOME"], withHome.Environment["USER"]), Is.EqualTo(("/srv/app/home-1", "nobody")));
        Assert.That(info.User, Is.EqualTo("nobody"));
    }

    [Test]
    public void A_worker_as_the_supervisor_gets_no_HOME_of_its_own_and_shows_the_supervisors_user()
    {
        var info = WorkerStartInfo.Build(TestConfigs.Create().DefaultApp().Worker, workerId: 0, port: 6000, supervisorPid: 1);

        Assert.That(info.Environment.Keys.Intersect(["HOME", "USER", "LOGNAME"]), Is.Empty, "the supervisor's own environment passes through");
        Assert.That(info.User, Is.EqualTo(Users.CurrentName));
    }

    [Test]
    public void How_to_stop_it_comes_from_the_config()
    {
        var worker = TestConfigs.Create().DefaultApp().Worker with { StopSignal = StopSignal.Quit, KillProcessGroup = false };

        var info = WorkerStartInfo.Build(worker, workerId: 0, port: 6000, supervisorPid: 1);
        var defaults = WorkerStartInfo.Build(TestConfigs.Create().DefaultApp().Worker, workerId: 0, port: 6000, supervisorPid: 1);

        Assert.That((info.StopSignal, info.SignalWholeGroup), Is.EqualTo((PosixSignals.SIGQUIT, false)));
        Assert.That((defaults.StopSignal, defaults.SignalWholeGroup), Is.EqualTo((PosixSignals.SIGTERM, true)));
    }
}
