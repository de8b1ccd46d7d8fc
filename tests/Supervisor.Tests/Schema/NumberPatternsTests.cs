using System.Globalization;
using System.Text.RegularExpressions;
using Cluster.Shared.Configuration.Layout.Kinds;

namespace Cluster.Supervisor.Tests.Schema;

/// <summary>The range expressions that schema and reader share accept exactly the numerals in the range, compared as decimals.</summary>
public sealed class NumberPatternsTests
{
    // Bounds in milliseconds and the unit sizes of durations: 100ms in minutes is 0.001666..., 10m in hours 0.1666...
    private static readonly long[] Bounds = [0, 1, 10, 100, 1000, 60_000, 600_000, 3_600_000, 86_400_000, 31_536_000_000];
    private static readonly long[] Units = [1, 1000, 60_000, 3_600_000, 86_400_000];

    [Test]
    public void Every_numeral_is_in_or_out_of_the_range_as_its_value_says()
    {
        var random = new Random(21);
        var checkedCount = 0;
        foreach (var unit in Units)
        {
            foreach (var bound in Bounds)
            {
                var atLeast = new Regex($"^(?:{NumberPatterns.AtLeast(bound, unit, fractions: true)})$");
                var atMost = new Regex($"^(?:{NumberPatterns.AtMost(bound, unit, fractions: true)})$");
                var exact = (decimal)bound / unit;
                foreach (var numeral in Numerals(random, exact))
                {
                    var value = decimal.Parse(numeral, CultureInfo.InvariantCulture);
                    Assert.That(atLeast.IsMatch(numeral), Is.EqualTo(value * unit >= bound), $"{numeral} >= {bound}/{unit}");
                    Assert.That(atMost.IsMatch(numeral), Is.EqualTo(value * unit <= bound), $"{numeral} <= {bound}/{unit}");
                    checkedCount++;
                }
            }
        }

        Assert.That(checkedCount, Is.GreaterThan(5_000));
    }

    [Test]
    public void Whole_numerals_are_compared_with_the_bound_rounded_inward()
    {
        var atLeast = new Regex($"^(?:{NumberPatterns.AtLeast(65535, 1024, fractions: false)})$");
        var atMost = new Regex($"^(?:{NumberPatterns.AtMost((16 * 1024 * 1024) - 1, 1024, fractions: false)})$");

        Assert.That(new[] { "63", "64", "064", "65", "16383", "16384" }.Select(n => (atLeast.IsMatch(n), atMost.IsMatch(n))), Is.EqualTo(new[]
        {
            (false, true), (true, true), (true, true), (true, true), (true, true), (true, false),
        }));
        Assert.That(atLeast.IsMatch("64.5"), Is.False, "no fractions where the syntax has none");
    }

    /// <summary>Numerals near the bound (its digits, one more or less in each place, leading and trailing zeros) and at random.</summary>
    private static IEnumerable<string> Numerals(Random random, decimal exact)
    {
        var near = new List<decimal> { exact, 0, 1 };
        for (var scale = 1m; scale >= 0.0000001m; scale /= 10)
        {
            near.AddRange([Math.Round(exact, 7) + scale, Math.Round(exact, 7) - scale, decimal.Truncate(exact / scale) * scale, (decimal.Truncate(exact / scale) + 1) * scale]);
        }

        for (var i = 0; i < 40; i++)
        {
            near.Add(Math.Round((decimal)random.NextDouble() * exact * 2, random.Next(0, 8)));
        }

        foreach (var value in near.Where(v => v >= 0).Distinct())
        {
            var text = value.ToString(CultureInfo.InvariantCulture);
            yield return text;
            yield return "0" + text;
            if (!text.Contains('.', StringComparison.Ordinal))
            {
                yield return text + ".0";
            }
            else
            {
                yield return text + "00";
            }
        }

        // Fractions of the bound written to many places: 0.00166666666666667 (just above 1/600) and its neighbours.
        var digits = exact.ToString("0.0000000000000000000", CultureInfo.InvariantCulture);
        yield return digits;
        yield return digits.TrimEnd('0') is { Length: > 0 } trimmed && trimmed[^1] != '.' ? trimmed : digits;
    }
}
