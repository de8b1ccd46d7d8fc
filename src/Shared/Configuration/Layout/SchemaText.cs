using System.Text.RegularExpressions;

namespace Cluster.Shared.Configuration.Layout;

internal static partial class SchemaText
{
    /// <summary>Markdown for an editor's tooltip: links become their text ("[Logs](operations.md#logs)" -> "Logs").</summary>
    public static string Plain(string markdown) => Link().Replace(markdown, "$1");

    [GeneratedRegex(@"\[([^\]]+)\]\([^)]*\)")]
    private static partial Regex Link();
}
