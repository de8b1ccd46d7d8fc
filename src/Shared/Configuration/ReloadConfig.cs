namespace Cluster.Shared.Configuration;

/// <summary>"reload": how a rolling reload is confirmed, or rolled back (see Layout/ConfigLayout.cs).</summary>
public sealed record ReloadConfig
{
    public TimeSpan ConfirmAfter { get; init; }
    public bool KeepOldWorkers { get; init; }
    public bool Confirms => ConfirmAfter > TimeSpan.Zero;
}
