namespace Cluster.Supervisor.Cli;

internal static class ExitCodes
{
    /// <summary>Stopped cleanly after SIGTERM/SIGINT.</summary>
    public const int Ok = 0;

    /// <summary>Anything else that went wrong: the address is taken, a reload or scale failed, an unexpected failure.</summary>
    public const int Failure = 1;

    /// <summary>A bad config file or bad command-line usage; nothing was started or changed.</summary>
    public const int BadConfigOrUsage = 2;

    /// <summary>A control command found no running supervisor (LSB's "program is not running", as systemctl uses).</summary>
    public const int NotRunning = 3;
}
