namespace Cluster.Supervisor.Workers;

/// <summary>The front end accepts from the start (sockets bound by this supervisor): nothing waits for the workers.</summary>
internal sealed class NoServingStart : IServingStart
{
    public static readonly NoServingStart Instance = new();

    private NoServingStart()
    {
    }

    public void WorkersReady()
    {
    }
}
