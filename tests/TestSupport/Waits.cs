namespace Cluster.TestSupport;

/// <summary>How long tests wait for something that must happen.</summary>
public static class Waits
{
    /// <summary>
    /// The bound of every wait for a cause (a log line, a state, an exit, a reply): generous, since CI machines are slow
    /// and loaded (two CPUs shared with other builds), and free when the cause comes sooner, as it normally does.
    /// </summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
}
