using System.Globalization;
using Cluster.Shared.Accounts;

namespace Cluster.Supervisor.Tests.Fakes;

/// <summary>A user database of a few Debian accounts, the same on every machine the tests run on.</summary>
internal sealed class FakeAccounts : IAccountDatabase
{
    public static readonly FakeAccounts Debian = new(
        [new UserAccount("root", 0, 0, "/root"), new UserAccount("www-data", 33, 33, "/var/www"), new UserAccount("nobody", 65534, 65534, "/nonexistent")],
        [new GroupAccount("root", 0), new GroupAccount("www-data", 33), new GroupAccount("nogroup", 65534)]);

    /// <summary>A supervisor run as root: every capability.</summary>
    public static readonly ProcessCredentials Root = new(0, 0, ulong.MaxValue);

    private readonly IReadOnlyList<UserAccount> _users;
    private readonly IReadOnlyList<GroupAccount> _groups;

    private FakeAccounts(IReadOnlyList<UserAccount> users, IReadOnlyList<GroupAccount> groups)
    {
        _users = users;
        _groups = groups;
    }

    public UserAccount? FindUser(string nameOrId) => _users.FirstOrDefault(u => u.Name == nameOrId || Id(u.Uid) == nameOrId);

    public GroupAccount? FindGroup(string nameOrId) => _groups.FirstOrDefault(g => g.Name == nameOrId || Id(g.Gid) == nameOrId);

    private static string Id(uint id) => id.ToString(CultureInfo.InvariantCulture);
}
