namespace Cluster.Shared.Accounts;

/// <summary>Looks up users and groups by name or by number ("www-data" or "33").</summary>
public interface IAccountDatabase
{
    /// <summary>The user with this name, or with this UID when the text is a number; null when there is none.</summary>
    UserAccount? FindUser(string nameOrId);

    /// <summary>The group with this name, or with this GID when the text is a number; null when there is none.</summary>
    GroupAccount? FindGroup(string nameOrId);
}
