using System.Globalization;
using System.Text;

namespace Cluster.Shared.Configuration.Layout.Kinds;

/// <summary>
/// Regular expressions for numerals ("12", "0.5", "007.50") in a range, so that a JSON Schema can check the range of a
/// duration or size written as a string ("100ms"), and the reader checks it with the very same expression. A bound is
/// a fraction p/q (100ms in minutes is 1/600 = 0.001666...): its decimal expansion is eventually periodic, and the
/// numerals at least (or at most) such an expansion are a regular language, written here digit by digit.
/// Only constructs that .NET and ECMAScript read alike: [0-9], (?:...), *, +, ?, {n,m}.
/// </summary>
internal static class NumberPatterns
{
    private const string Digits = "[0-9]*";
    private const string Fraction = @"(?:\.[0-9]+)?";

    /// <summary>Numerals whose value is at least p/q; with a fraction part only when <paramref name="fractions"/>.</summary>
    public static string AtLeast(long p, long q, bool fractions)
    {
        var (whole, pre, period) = Expand(p, q);
        var fraction = fractions ? Fraction : string.Empty;
        return Join([$"0*(?:{Greater(whole)}){fraction}", .. pre.Length == 0 ? [Equal(whole) + fraction] : fractions ? [$@"{Equal(whole)}\.(?:{FractionAtLeast(pre, period)})"] : Array.Empty<string>()]);
    }

    /// <summary>Numerals whose value is at most p/q.</summary>
    public static string AtMost(long p, long q, bool fractions)
    {
        var (whole, pre, period) = Expand(p, q);
        return Join(
        [
            .. whole == "0" ? Array.Empty<string>() : [$"0*(?:{Less(whole)}){(fractions ? Fraction : string.Empty)}"],
            Equal(whole) + (!fractions ? string.Empty : pre.Length == 0 ? @"(?:\.0+)?" : $@"(?:\.(?:{FractionAtMost(pre, period)}))?"),
        ]);
    }

    /// <summary>The whole part, the fraction digits before the repeating part, and the repeating part ("" when it ends).</summary>
    private static (string Whole, string Pre, string Period) Expand(long p, long q)
    {
        var whole = (p / q).ToString(CultureInfo.InvariantCulture);
        var remainder = p % q;
        var digits = new StringBuilder();
        var seen = new Dictionary<long, int>();
        while (remainder != 0 && seen.TryAdd(remainder, digits.Length))
        {
            remainder *= 10;
            digits.Append((char)('0' + (remainder / q)));
            remainder %= q;
        }

        var expansion = digits.ToString();
        return remainder == 0 ? (whole, expansion, string.Empty) : (whole, expansion[..seen[remainder]], expansion[seen[remainder]..]);
    }

    private static string Equal(string whole) => whole == "0" ? "0+" : "0*" + whole;

    /// <summary>Whole numbers above <paramref name="n"/> (after leading zeros): more digits, or as many and larger.</summary>
    private static string Greater(string n) => Join([$"[1-9][0-9]{{{n.Length},}}", .. Departures(n, above: true, j => Repeat(n.Length - j - 1))]);

    /// <summary>Whole numbers below <paramref name="n"/> (n at least 1): fewer digits, or as many and smaller.</summary>
    private static string Less(string n) => Join([.. n.Length > 1 ? [$"[0-9]{{1,{n.Length - 1}}}"] : Array.Empty<string>(), .. Departures(n, above: false, j => Repeat(n.Length - j - 1))]);

    /// <summary>Fraction digits (at least one) at least 0.(pre)(period)(period)...; the expansion is not zero.</summary>
    private static string FractionAtLeast(string pre, string period) => Join(
    [
        .. Departures(pre, above: true, _ => Digits),
        .. period.Length == 0 ? [pre + Digits] : Array.Empty<string>(),
        .. Departures(period, above: true, _ => Digits, $"{pre}(?:{period})*"),
    ]);

    /// <summary>
    /// Fraction digits (at least one) at most 0.(pre)(period)(period)...; the expansion is not zero. A prefix of the
    /// expansion followed by nothing (or by zeros, where it ends) is below it, or equal where it ends.
    /// </summary>
    private static string FractionAtMost(string pre, string period) => Join(
    [
        .. Departures(pre, above: false, _ => Digits),
        .. Enumerable.Range(1, Math.Max(0, pre.Length - 1)).Select(n => pre[..n]),
        .. period.Length == 0 ? [pre + "0*"] : Array.Empty<string>(),
        .. Departures(period, above: false, _ => Digits, $"{pre}(?:{period})*"),
        .. Enumerable.Range(0, period.Length).Select(m => pre.Length == 0 && m == 0 ? $"(?:{period})+" : $"{pre}(?:{period})*{period[..m]}"),
    ]);

    /// <summary>Numerals that follow <paramref name="digits"/> up to a place and there have a larger (or smaller) digit, then <paramref name="tail"/>.</summary>
    private static IEnumerable<string> Departures(string digits, bool above, Func<int, string> tail, string prefix = "") =>
        Enumerable.Range(0, digits.Length)
            .Where(j => above ? digits[j] < '9' : digits[j] > '0')
            .Select(j => $"{prefix}{digits[..j]}{(above ? $"[{(char)(digits[j] + 1)}-9]" : $"[0-{(char)(digits[j] - 1)}]")}{tail(j)}");

    private static string Join(IEnumerable<string> alternatives) => string.Join('|', alternatives);
    private static string Repeat(int count) => count == 0 ? string.Empty : $"[0-9]{{{count}}}";
}
