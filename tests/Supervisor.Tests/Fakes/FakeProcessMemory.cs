using System.Collections.Concurrent;
using Cluster.Supervisor.Workers;

namespace Cluster.Supervisor.Tests.Fakes;

internal sealed class FakeProcessMemory : IProcessMemory
{
    private readonly ConcurrentDictionary<int, long> _resident = new();

    public void Set(int pid, long megabytes) => _resident[pid] = megabytes * 1024 * 1024;

    public long? ResidentBytes(int pid) => _resident.TryGetValue(pid, out var bytes) ? bytes : 10 * 1024 * 1024;
}
