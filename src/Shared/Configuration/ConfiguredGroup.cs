using Cluster.Shared.Accounts;

namespace Cluster.Shared.Configuration;

/// <summary>worker.group as written ("nogroup" or "65534") and the group it names.</summary>
public sealed record ConfiguredGroup(string Written, GroupAccount Account)
{
    public override string ToString() => Written;
}
