using System.Text.Json.Nodes;

namespace Cluster.Shared.Configuration.Layout;

/// <summary>
/// A key that only one front end can honour: set with the other one it is refused rather than silently ignored, unless
/// it has the value <see cref="Unless"/> (the default said out loud, e.g. "enabled": false).
/// </summary>
/// <param name="Mode">The front end the key needs.</param>
/// <param name="Why">Why the other front end cannot honour it.</param>
/// <param name="Advice">What to do instead.</param>
public sealed record FrontEndOnly(FrontEndMode Mode, string Why, string Advice = "remove one of the two", JsonNode? Unless = null);
