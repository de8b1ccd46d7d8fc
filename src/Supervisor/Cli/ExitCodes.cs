namespace Cluster.Supervisor.Cli;

internal static class ExitCodes
{
    /// <summary>Stopped cleanly after SIGTERM/SIGINT.</summary>
    public const int Ok = 0;

    /// <summary>Anything else that went wrong: the address is taken, an unexpected failure.</summary>
    public const int Failure = 1;

    /// <summary>A bad config file or bad command-line usage; nothing was started.</summary>
    public const int BadConfigOrUsage = 2;
}
