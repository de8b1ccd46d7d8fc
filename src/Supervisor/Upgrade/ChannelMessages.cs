namespace Cluster.Supervisor.Upgrade;

/// <summary>
/// The lines the two supervisors of an upgrade exchange over their channel (a socket pair, inherited by the new one).
/// New to old: "ready VERSION" (every worker ready, accepting), then "done" (control socket and pid file taken), or
/// "failed REASON". Old to new: "take-over" (pid file and MAINPID released). The end of the stream means the other
/// process is gone.
/// </summary>
internal static class ChannelMessages
{
    public const string Ready = "ready";
    public const string TakeOver = "take-over";
    public const string Done = "done";
    public const string Failed = "failed";
}
