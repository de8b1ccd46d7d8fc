using System.Buffers;
using System.Text;

namespace Cluster.Supervisor.Logging;

/// <summary>
/// Control characters in logged text, escaped as nginx escapes its access log: a newline becomes \x0A, ESC \x1B. Text a
/// client sent (a path with %0a, a header, a host) can then neither start a line that looks like the supervisor's own
/// nor send escape sequences to the terminal of whoever reads the log. Tab stays (it is harmless, and worker output
/// such as Go's stack traces indents with it); so do all printable characters, non-ASCII ones included.
/// </summary>
internal static class LogText
{
    /// <summary>C0 controls but tab, DEL, and the C1 controls (U+0080-U+009F: U+009B is a one-character CSI to some terminals).</summary>
    private static readonly SearchValues<char> Controls = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Where(c => c != '\t').Select(c => (char)c), '\x7F', .. Enumerable.Range(0x80, 0x20).Select(c => (char)c)]);

    public static bool NeedsEscaping(string text) => text.AsSpan().ContainsAny(Controls);

    /// <summary>The text with each control character as \xHH (the same string when it has none).</summary>
    public static string Escape(string text)
    {
        var span = text.AsSpan();
        var next = span.IndexOfAny(Controls);
        if (next < 0)
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16);
        while (next >= 0)
        {
            escaped.Append(span[..next]).Append("\\x").Append(((int)span[next]).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            span = span[(next + 1)..];
            next = span.IndexOfAny(Controls);
        }

        return escaped.Append(span).ToString();
    }
}
