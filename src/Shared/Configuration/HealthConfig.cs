namespace Cluster.Shared.Configuration;

/// <summary>
/// Health checks of running workers: an HTTP GET of <see cref="HttpPath"/> every <see cref="Interval"/>. A worker failing
/// <see cref="UnhealthyThreshold"/> checks in a row leaves the front end; failing <see cref="RestartThreshold"/> in a
/// row, it is restarted. This is how a hung worker (alive, not answering) is found. Off when no path is set.
/// </summary>
public sealed record HealthConfig
{
    public string? HttpPath { get; init; }

    public TimeSpan Interval { get; init; }

    public TimeSpan Timeout { get; init; }

    public int UnhealthyThreshold { get; init; }

    public int RestartThreshold { get; init; }

    public bool Enabled => HttpPath is not null;
}
