using Cluster.Shared.Accounts;

namespace Cluster.Shared.Configuration;

/// <summary>worker.user as written ("nobody" or "65534", what `config show` and reload's diff print) and the user it names.</summary>
public sealed record ConfiguredUser(string Written, UserAccount Account)
{
    public override string ToString() => Written;
}
