namespace Cluster.Shared.Configuration;

/// <summary>"control": the control channel, a Unix domain socket (mode 0600) serving the CLI's JSON API.</summary>
public sealed record ControlConfig
{
    /// <summary>Linux limits a socket path to 107 bytes (sun_path is 108 with its terminating NUL).</summary>
    public const int MaxSocketPathBytes = 107;
    public string Socket { get; init; } = string.Empty;

    /// <summary>Where the workers' notify sockets (readiness.notify) are made: beside the control socket.</summary>
    public string NotifyFolder => Path.GetDirectoryName(Socket)!;

    /// <summary>The longest name of a worker's notify socket in <see cref="NotifyFolder"/> ("notify-PID-ID-SEQ.sock").</summary>
    public const int LongestNotifySocketName = 35;
}
