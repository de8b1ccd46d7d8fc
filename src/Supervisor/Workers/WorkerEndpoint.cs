namespace Cluster.Supervisor.Workers;

/// <summary>A worker the front end may send traffic to: worker <see cref="WorkerId"/> of <see cref="App"/>, listening on 127.0.0.1:<see cref="Port"/>.</summary>
internal sealed record WorkerEndpoint(string App, int WorkerId, int Pid, int Port)
{
    public string Address => $"http://127.0.0.1:{Port}";
}
