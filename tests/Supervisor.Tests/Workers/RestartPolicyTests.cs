using Cluster.Supervisor.Tests.Fakes;
using Cluster.Supervisor.Workers.Restarts;

namespace Cluster.Supervisor.Tests.Workers;

public sealed class RestartPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(1);

    [Test]
    public void Quick_exits_double_the_delay_up_to_the_maximum()
    {
        var policy = new RestartPolicy(TestConfigs.Restart(delay: TimeSpan.FromMilliseconds(100), maxDelay: TimeSpan.FromSeconds(1)), () => 0.5);
        var history = new RestartHistory();

        var delays = Enumerable.Range(0, 7).Select(_ => ((RestartAfter)policy.Decide(history, Quick, exitCode: 1, Now)).Delay.TotalMilliseconds).ToList();

        Assert.That(delays, Is.EqualTo(new double[] { 100, 200, 400, 800, 1000, 1000, 1000 }));
    }

    [Test]
    public void The_multiplier_sets_the_growth()
    {
        var policy = new RestartPolicy(TestConfigs.Restart(delay: TimeSpan.FromSeconds(1), multiplier: 3), () => 0.5);

        Assert.That(policy.Delay(3), Is.EqualTo(TimeSpan.FromSeconds(9)));
    }

    [TestCase(0.0, 80)]
    [TestCase(0.5, 100)]
    [TestCase(1.0, 120)]
    public void Jitter_spreads_the_delay_by_plus_or_minus_its_fraction(double random, double expectedMs)
    {
        var policy = new RestartPolicy(TestConfigs.Restart(delay: TimeSpan.FromMilliseconds(100), jitter: 0.2), () => random);

        Assert.That(policy.Delay(1).TotalMilliseconds, Is.EqualTo(expectedMs).Within(1e-9));
    }

    [Test]
    public void Jitter_never_takes_the_delay_over_the_maximum()
    {
        var policy = new RestartPolicy(TestConfigs.Restart(delay: TimeSpan.FromSeconds(1), maxDelay: TimeSpan.FromSeconds(10), jitter: 0.5), () => 1.0);

        Assert.That(policy.Delay(20), Is.EqualTo(TimeSpan.FromSeconds(10)));
        Assert.That(new RestartPolicy(policy.Config, () => 0.0).Delay(20), Is.EqualTo(TimeSpan.FromSeconds(5)));
    }

    [Test]
    public void Jittered_delays_stay_in_range_over_many_draws()
    {
        var random = new Random(42);
        var policy = new RestartPolicy(TestConfigs.Restart(delay: TimeSpan.FromMilliseconds(100), jitter: 0.2), random.NextDouble);

        var delays = Enumerable.Range(0, 1000).Select(_ => policy.Delay(1).TotalMilliseconds).ToList();

        Assert.That(delays, Is.All.InRange(80.0, 120.0));
        Assert.That(delays.Distinct().Count(), Is.GreaterThan(900), "jitter does not spread the delays");
    }

    [Test]
    public void A_stable_run_resets_the_backoff_to_the_first_delay()
    {
        var policy = new RestartPolicy(TestConfigs.Restart(delay: TimeSpan.FromMilliseconds(100), resetAfter: TimeSpan.FromSeconds(30)), () => 0.5);
        var history = new RestartHistory();
        for (var i = 0; i < 4; i++)
        {
            policy.Decide(history, Quick, exitCode: 1, Now);
        }

        var afterStableRun = (RestartAfter)policy.Decide(history, TimeSpan.FromSeconds(30), exitCode: 1, Now);

        Assert.That(afterStableRun, Is.EqualTo(new RestartAfter(TimeSpan.FromMilliseconds(100), QuickExits: 1, CrashLooping: false)));
    }

    [Test]
    public void Quick_exits_in_a_row_are_a_crash_loop_from_the_configured_count()
    {
        var policy = new RestartPolicy(TestConfigs.Restart(crashLoopAfter: 3), () => 0.5);
        var history = new RestartHistory();

        var looping = Enumerable.Range(0, 4).Select(_ => ((RestartAfter)policy.Decide(history, Quick, exitCode: 1, Now)).CrashLooping).ToList();

        Assert.That(looping, Is.EqualTo(new[] { false, false, true, true }));
    }

    [Test]
    public void By_default_it_never_gives_up()
    {
        var policy = new RestartPolicy(TestConfigs.Restart(), () => 0.5);
        var history = new RestartHistory();

        var decisions = Enumerable.Range(0, 500).Select(i => policy.Decide(history, Quick, exitCode: 1, Now + TimeSpan.FromSeconds(i))).ToList();

        Assert.That(decisions, Is.All.InstanceOf<RestartAfter>());
    }

    [Test]
    public void Max_restarts_within_the_window_gives_up_and_says_why()
    {
        var policy = new RestartPolicy(TestConfigs.Restart(maxRestarts: 3, window: TimeSpan.FromMinutes(1)), () => 0.5);
        var history = new RestartHistory();

        var decisions = Enumerable.Range(0, 4).Select(i => policy.Decide(history, Quick, exitCode: 1, Now + TimeSpan.FromSeconds(10 * i))).ToList();

        Assert.That(decisions.Take(3), Is.All.InstanceOf<RestartAfter>());
        Assert.That(decisions[3], Is.EqualTo(new GiveUp("4 exits within 1m00s exceed restart.maxRestarts (3): giving up")));
    }

    [Test]
    public void Restarts_older_than_the_window_do_not_count()
    {
        var policy = new RestartPolicy(TestConfigs.Restart(maxRestarts: 3, window: TimeSpan.FromMinutes(1)), () => 0.5);
        var history = new RestartHistory();

        // Every 25 s: never more than 3 within a minute.
        var decisions = Enumerable.Range(0, 10).Select(i => policy.Decide(history, Quick, exitCode: 1, Now + TimeSpan.FromSeconds(25 * i))).ToList();

        Assert.That(decisions, Is.All.InstanceOf<RestartAfter>());
    }

    [Test]
    public void A_do_not_restart_exit_code_gives_up_at_once()
    {
        var policy = new RestartPolicy(TestConfigs.Restart(noRestartExitCodes: [3, 4]), () => 0.5);

        Assert.That(policy.Decide(new RestartHistory(), Quick, exitCode: 4, Now), Is.EqualTo(new GiveUp("exit code 4 is listed in restart.noRestartExitCodes: not restarted")));
        Assert.That(policy.Decide(new RestartHistory(), Quick, exitCode: 1, Now), Is.InstanceOf<RestartAfter>());
        Assert.That(policy.Decide(new RestartHistory(), Quick, exitCode: null, Now), Is.InstanceOf<RestartAfter>(), "a death by signal has no exit code to match");
    }
}
