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

    /// <summary>Numerals whose value is at least p/q; with a fraction part only when <paramref name="fractions"/>.</summary>
    public static string AtLeast(long p, long q, bool fractions)
    {
        var (whole, pre, period) = Expand(p, q);
        var fraction = fractions ? @"(?:\.[0-9]+)?" : string.Empty;
        var alternatives = new List<string> { $"0*(?:{Greater(whole)}){fraction}" };
        if (pre.Length == 0)
        {
            alternatives.Add(Equal(whole) + fraction);
        }
        else if (fractions)
        {
            alternatives.Add($@"{Equal(whole)}\.(?:{FractionAtLeast(pre, period)})");
        }

        return string.Join('|', alternatives);
    }

    /// <summary>Numerals whose value is at most p/q.</summary>
    public static string AtMost(long p, long q, bool fractions)
    {
        var (whole, pre, period) = Expand(p, q);
        var alternatives = new List<string>();
        if (whole != "0")
        {
            alternatives.Add($"0*(?:{Less(whole)}){(fractions ? @"(?:\.[0-9]+)?" : string.Empty)}");
        }

        alternatives.Add(Equal(whole) + (!fractions ? string.Empty : pre.Length == 0 ? @"(?:\.0+)?" : $@"(?:\.(?:{FractionAtMost(pre, period)}))?"));
        return string.Join('|', alternatives);
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
    private static string Greater(string n)
    {
        var alternatives = new List<string> { $"[1-9][0-9]{{{n.Length},}}" };
        for (var i = 0; i < n.Length; i++)
        {
            if (n[i] < '9')
            {
                alternatives.Add($"{n[..i]}[{(char)(n[i] + 1)}-9]{Repeat(n.Length - i - 1)}");
            }
        }

        return string.Join('|', alternatives);
    }

    /// <summary>Whole numbers below <paramref name="n"/> (n at least 1): fewer digits, or as many and smaller.</summary>
    private static string Less(string n)
    {
        var alternatives = new List<string>();
        if (n.Length > 1)
        {
            alternatives.Add($"[0-9]{{1,{n.Length - 1}}}");
        }

        for (var i = 0; i < n.Length; i++)
        {
            if (n[i] > '0')
            {
                alternatives.Add($"{n[..i]}[0-{(char)(n[i] - 1)}]{Repeat(n.Length - i - 1)}");
            }
        }

        return string.Join('|', alternatives);
    }

    /// <summary>Fraction digits (at least one) at least 0.(pre)(period)(period)...; the expansion is not zero.</summary>
    private static string FractionAtLeast(string pre, string period)
    {
        var alternatives = new List<string>();
        for (var j = 0; j < pre.Length; j++)
        {
            if (pre[j] < '9')
            {
                alternatives.Add($"{pre[..j]}[{(char)(pre[j] + 1)}-9]{Digits}");
            }
        }

        if (period.Length == 0)
        {
            alternatives.Add(pre + Digits);
        }

        for (var m = 0; m < period.Length; m++)
        {
            if (period[m] < '9')
            {
                alternatives.Add($"{pre}(?:{period})*{period[..m]}[{(char)(period[m] + 1)}-9]{Digits}");
            }
        }

        return string.Join('|', alternatives);
    }

    /// <summary>Fraction digits (at least one) at most 0.(pre)(period)(period)...; the expansion is not zero.</summary>
    private static string FractionAtMost(string pre, string period)
    {
        var alternatives = new List<string>();
        for (var j = 0; j < pre.Length; j++)
        {
            if (pre[j] > '0')
            {
                alternatives.Add($"{pre[..j]}[0-{(char)(pre[j] - 1)}]{Digits}");
            }
        }

        // A prefix of the expansion followed by nothing (or zeros where it ends) is below it, or equal where it ends.
        for (var n = 1; n < pre.Length; n++)
        {
            alternatives.Add(pre[..n]);
        }

        if (period.Length == 0)
        {
            alternatives.Add(pre + "0*");
        }

        for (var m = 0; m < period.Length; m++)
        {
            if (period[m] > '0')
            {
                alternatives.Add($"{pre}(?:{period})*{period[..m]}[0-{(char)(period[m] - 1)}]{Digits}");
            }

            alternatives.Add(pre.Length == 0 && m == 0 ? $"(?:{period})+" : $"{pre}(?:{period})*{period[..m]}");
        }

        return string.Join('|', alternatives);
    }

    private static string Repeat(int count) => count == 0 ? string.Empty : $"[0-9]{{{count}}}";
}
