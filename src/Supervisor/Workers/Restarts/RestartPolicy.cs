using Cluster.Shared.Configuration;
using Cluster.Supervisor.Logging;

namespace Cluster.Supervisor.Workers.Restarts;

/// <summary>
/// The restart policy: exponential backoff with jitter between quick exits, reset by a stable run; crash-loop
/// detection; an optional give-up limit; and exit codes that mean "do not restart". Pure apart from its random source.
/// </summary>
internal sealed class RestartPolicy(RestartConfig config, Func<double> random)
{
    public RestartConfig Config => config;

    /// <param name="exitCode">The exit code, when the process exited on its own (null when it was killed or never ran).</param>
    public RestartDecision Decide(RestartHistory history, TimeSpan uptime, int? exitCode, DateTimeOffset now)
    {
        if (exitCode is int code && config.NoRestartExitCodes.Contains(code))
        {
            return new GiveUp($"exit code {code} is listed in restart.noRestartExitCodes: not restarted");
        }

        history.QuickExits = uptime >= config.ResetAfter ? 1 : history.QuickExits + 1;
        var recent = history.RecordRestart(now, config.Window);
        if (config.MaxRestarts is int max && recent > max)
        {
            return new GiveUp($"{recent} exits within {HumanDuration.Format(config.Window)} exceed restart.maxRestarts ({max}): giving up");
        }

        return new RestartAfter(Delay(history.QuickExits), history.QuickExits, history.QuickExits >= config.CrashLoopAfter);
    }

    /// <summary>
    /// delay × multiplier^(n-1) for the n-th quick exit in a row, capped at maxDelay, then spread by ±jitter and capped
    /// again, so a crash-looping slot settles at about maxDelay and never above it.
    /// </summary>
    public TimeSpan Delay(int quickExits)
    {
        var grown = config.Delay.TotalMilliseconds * Math.Pow(config.Multiplier, Math.Max(0, quickExits - 1));
        var capped = Math.Min(grown, config.MaxDelay.TotalMilliseconds);
        var spread = capped * (1 + (config.Jitter * ((2 * random()) - 1)));
        return TimeSpan.FromMilliseconds(Math.Min(spread, config.MaxDelay.TotalMilliseconds));
    }
}
