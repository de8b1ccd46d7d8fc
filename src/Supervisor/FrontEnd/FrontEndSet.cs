using Cluster.Shared.Configuration;
using Cluster.Supervisor.Workers;

namespace Cluster.Supervisor.FrontEnd;

/// <summary>
/// The supervisor's front ends: the one on the top-level listeners, which routes every app without a listener of its
/// own by host and path, and one per app with its own listeners (served there alone). The host starts, drains and
/// disposes them together; the control loop sees them as <see cref="IFrontEnds"/>.
/// </summary>
internal sealed class FrontEndSet(IPublicFrontEnd top, IReadOnlyDictionary<string, IPublicFrontEnd> ownListeners) : IFrontEnds, IAsyncDisposable
{
    private readonly IReadOnlyList<IPublicFrontEnd> _all = [top, .. ownListeners.Values];

    public IFrontEnd For(AppConfig app) => ownListeners.GetValueOrDefault(app.Name) ?? top;

    public IReadOnlyList<IFrontEnd> All => _all;

    /// <summary>Binds every public address, the top-level ones first; throws as <see cref="IPublicFrontEnd.StartAsync"/> does.</summary>
    public async Task StartAsync()
    {
        foreach (var frontEnd in _all)
        {
            await frontEnd.StartAsync();
        }
    }

    /// <summary>After the workers have exited: what every front end still holds is ended.</summary>
    public Task CloseAsync() => Task.WhenAll(_all.Select(f => f.CloseAsync()));

    public async ValueTask DisposeAsync()
    {
        foreach (var frontEnd in _all)
        {
            await frontEnd.DisposeAsync();
        }
    }
}
