using System.Net.Mail;

namespace Cluster.Worker.Users;

/// <summary>Field rules for a new user. Errors are keyed by the JSON field name, as in an RFC 7807 validation problem.</summary>
internal static class UserValidator
{
    public const int MaxNameLength = 100;

    /// <summary>The longest address that fits in SMTP's forward path (RFC 5321 with errata 1690).</summary>
    public const int MaxEmailLength = 254;

    /// <summary>Validates already-trimmed values; an empty result means valid.</summary>
    public static Dictionary<string, string[]> Validate(string name, string email)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);

        if (name.Length == 0)
        {
            errors["name"] = ["Name is required."];
        }
        else if (name.Length > MaxNameLength)
        {
            errors["name"] = [$"Name must be at most {MaxNameLength} characters."];
        }

        if (email.Length == 0)
        {
            errors["email"] = ["Email is required."];
        }
        else if (email.Length > MaxEmailLength)
        {
            errors["email"] = [$"Email must be at most {MaxEmailLength} characters."];
        }
        else if (!IsPlainAddress(email))
        {
            errors["email"] = ["Email must be a valid address."];
        }

        return errors;
    }

    /// <summary>
    /// MailAddress alone is too forgiving for a stored contact address: it accepts display names
    /// ("Ann &lt;ann@example.com&gt;") and dotless hosts ("ann@localhost"). Requiring the parsed address to equal the input
    /// rules out the former, and a dot inside the host the latter.
    /// </summary>
    private static bool IsPlainAddress(string email)
    {
        if (!MailAddress.TryCreate(email, out var parsed) || !string.Equals(parsed.Address, email, StringComparison.Ordinal))
        {
            return false;
        }

        var host = parsed.Host;
        var dot = host.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && !host.EndsWith('.');
    }
}
