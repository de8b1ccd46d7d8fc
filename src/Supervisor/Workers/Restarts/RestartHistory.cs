namespace Cluster.Supervisor.Workers.Restarts;

/// <summary>What the restart policy remembers about one slot. Owned by the control loop.</summary>
internal sealed class RestartHistory
{
    private readonly Queue<DateTimeOffset> _restarts = new();

    /// <summary>Exits in a row that each came within restart.resetAfter of the process's start.</summary>
    public int QuickExits { get; set; }

    /// <summary>Restarts within the window ending at <paramref name="now"/>, after recording one at <paramref name="now"/>.</summary>
    public int RecordRestart(DateTimeOffset now, TimeSpan window)
    {
        _restarts.Enqueue(now);
        while (_restarts.Count > 0 && now - _restarts.Peek() > window)
        {
            _restarts.Dequeue();
        }

        return _restarts.Count;
    }
}
