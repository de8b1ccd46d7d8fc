namespace Cluster.Shared.Configuration.Layout;

/// <summary>One key whose value differs between the running config and a loaded one: "restart.delay 100ms -> 1s".</summary>
public sealed record ConfigChange(string Path, Applies Applies, string Text);
