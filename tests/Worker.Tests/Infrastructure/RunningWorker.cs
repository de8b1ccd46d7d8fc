using Cluster.TestSupport;

namespace Cluster.Worker.Tests.Infrastructure;

/// <summary>A worker process that has logged its "listening" line, with a client bound to its port.</summary>
public sealed class RunningWorker(TestProcess process, int port, int workerId)
{
    public TestProcess Process { get; } = process;

    public int Port { get; } = port;

    public int WorkerId { get; } = workerId;

    public HttpClient Client { get; } = new()
    {
        BaseAddress = new Uri($"http://127.0.0.1:{port}/"),
        Timeout = Waits.Patience,
    };
}
