using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Workers;

/// <summary>The supervisor's front ends: the top-level one, and one per app with a listener of its own.</summary>
internal interface IFrontEnds
{
    /// <summary>The front end that serves <paramref name="app"/>.</summary>
    IFrontEnd For(AppConfig app);

    /// <summary>Every front end, each once, for a stop.</summary>
    IReadOnlyList<IFrontEnd> All { get; }
}
