namespace Cluster.Supervisor.Workers.Restarts;

/// <summary>
/// A slot's last exits (newest last, at most <see cref="Kept"/>) and its restarts of the last hour, for
/// `supervisor status --worker`. Shared by a worker and its replacement, so the slot's history survives recycles and
/// reloads. Owned by the control loop, like everything on <see cref="Worker"/>.
/// </summary>
internal sealed class ExitHistory
{
    public const int Kept = 10;

    private readonly List<ExitRecord> _exits = [];

    public RecentRestarts Restarts { get; } = new();

    /// <summary>Newest first.</summary>
    public IReadOnlyList<ExitRecord> NewestFirst() => Enumerable.Reverse(_exits).ToArray();

    public void Add(ExitRecord exit)
    {
        _exits.Add(exit);
        if (_exits.Count > Kept)
        {
            _exits.RemoveAt(0);
        }
    }

    /// <summary>Puts <paramref name="updated"/> in the place of <paramref name="exit"/>, if it is still kept.</summary>
    public void Replace(ExitRecord exit, ExitRecord updated)
    {
        var index = _exits.LastIndexOf(exit);
        if (index >= 0)
        {
            _exits[index] = updated;
        }
    }
}
