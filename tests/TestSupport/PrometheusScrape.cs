using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Cluster.TestSupport;

/// <summary>
/// A strict reader of the Prometheus text exposition format (0.0.4), for tests: <see cref="Parse"/> throws a
/// <see cref="FormatException"/> naming the line for anything a Prometheus server would reject or that breaks the
/// format's rules: every line a <c># HELP</c>, a <c># TYPE</c> or a sample; valid metric and label names; a family's
/// TYPE before its samples and its samples together; no duplicate series; counters not negative; histogram buckets
/// cumulative, ending with <c>le="+Inf"</c> equal to <c>_count</c>, with a <c>_sum</c>.
/// </summary>
public sealed partial class PrometheusScrape
{
    private static readonly string[] Types = ["counter", "gauge", "histogram", "summary", "untyped"];

    private readonly Dictionary<string, string> _types;

    private PrometheusScrape(Dictionary<string, string> types, List<PrometheusSample> samples)
    {
        _types = types;
        Samples = samples;
    }

    public IReadOnlyList<PrometheusSample> Samples { get; }

    /// <summary>Metric family name to its TYPE.</summary>
    public IReadOnlyDictionary<string, string> Families => _types;

    public static PrometheusScrape Parse(string text)
    {
        if (text.Length > 0 && !text.EndsWith('\n'))
        {
            throw new FormatException("the last line does not end with a line feed");
        }

        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var helps = new HashSet<string>(StringComparer.Ordinal);
        var finished = new HashSet<string>(StringComparer.Ordinal);
        var series = new HashSet<string>(StringComparer.Ordinal);
        var samples = new List<PrometheusSample>();
        string? current = null;
        var lines = text.Split('\n')[..^1];
        for (var number = 1; number <= lines.Length; number++)
        {
            var line = lines[number - 1];
            string Where() => $"line {number} ({line})";
            string family;
            if (line.StartsWith('#'))
            {
                var comment = CommentPattern().Match(line);
                if (!comment.Success)
                {
                    throw new FormatException($"{Where()}: a comment that is neither \"# HELP name text\" nor \"# TYPE name type\"");
                }

                family = comment.Groups["name"].Value;
                var keyword = comment.Groups["keyword"].Value;
                if (keyword == "TYPE")
                {
                    if (!Types.Contains(comment.Groups["rest"].Value))
                    {
                        throw new FormatException($"{Where()}: unknown type; expected one of {string.Join(", ", Types)}");
                    }

                    if (!types.TryAdd(family, comment.Groups["rest"].Value))
                    {
                        throw new FormatException($"{Where()}: a second TYPE for {family}");
                    }

                    if (samples.Any(s => FamilyOf(s.Name, types) == family))
                    {
                        throw new FormatException($"{Where()}: TYPE after samples of {family}");
                    }
                }
                else if (HelpEscapePattern().IsMatch(comment.Groups["rest"].Value))
                {
                    throw new FormatException($"{Where()}: HELP text may escape only \\\\ and \\n");
                }
                else if (!helps.Add(family))
                {
                    throw new FormatException($"{Where()}: a second HELP for {family}");
                }
                else if (samples.Any(s => FamilyOf(s.Name, types) == family))
                {
                    throw new FormatException($"{Where()}: HELP after samples of {family}");
                }
            }
            else
            {
                var sample = ParseSample(line, Where);
                family = FamilyOf(sample.Name, types);
                if (!types.TryGetValue(family, out var type))
                {
                    throw new FormatException($"{Where()}: a sample of {sample.Name} without a TYPE line before it");
                }

                if (!series.Add(SeriesKey(sample.Name, sample.Labels)))
                {
                    throw new FormatException($"{Where()}: a duplicate series");
                }

                if (type == "counter" && (sample.Value < 0 || double.IsNaN(sample.Value)))
                {
                    throw new FormatException($"{Where()}: a counter must not be negative");
                }

                if (type == "counter" && !sample.Name.EndsWith("_total", StringComparison.Ordinal))
                {
                    throw new FormatException($"{Where()}: a counter's name should end with _total");
                }

                samples.Add(sample);
            }

            if (family != current)
            {
                if (current is not null)
                {
                    finished.Add(current);
                }

                if (finished.Contains(family))
                {
                    throw new FormatException($"{Where()}: {family} appears again after another family; a family's lines must be together");
                }

                current = family;
            }
        }

        var scrape = new PrometheusScrape(types, samples);
        scrape.CheckHistograms();
        return scrape;
    }

    /// <summary>The value of the one sample named <paramref name="name"/> with these labels; fails if there is none or several.</summary>
    public double Value(string name, params (string Name, string Value)[] labels)
    {
        var matching = Samples.Where(s => s.Name == name && s.Has(labels)).ToList();
        if (matching.Count != 1)
        {
            throw new InvalidOperationException($"expected one sample {name} with {string.Join(",", labels.Select(l => $"{l.Name}=\"{l.Value}\""))}, found {matching.Count}");
        }

        return matching[0].Value;
    }

    public IEnumerable<PrometheusSample> Named(string name) => Samples.Where(s => s.Name == name);

    /// <summary>X_bucket, X_sum and X_count belong to family X when X is a histogram (or summary); anything else to itself.</summary>
    private static string FamilyOf(string name, Dictionary<string, string> types)
    {
        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && types.TryGetValue(name[..^suffix.Length], out var type) && type is "histogram" or "summary")
            {
                return name[..^suffix.Length];
            }
        }

        return name;
    }

    private static string SeriesKey(string name, IReadOnlyDictionary<string, string> labels) =>
        name + "{" + string.Join(",", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")) + "}";

    private static PrometheusSample ParseSample(string line, Func<string> where)
    {
        var nameMatch = MetricNamePattern().Match(line);
        if (!nameMatch.Success)
        {
            throw new FormatException($"{where()}: not a sample (a metric name must match [a-zA-Z_:][a-zA-Z0-9_:]*)");
        }

        var name = nameMatch.Value;
        var position = name.Length;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (position < line.Length && line[position] == '{')
        {
            position++;
            while (position < line.Length && line[position] != '}')
            {
                var labelMatch = LabelNamePattern().Match(line, position);
                if (!labelMatch.Success || labelMatch.Index != position || labelMatch.Value.StartsWith("__", StringComparison.Ordinal))
                {
                    throw new FormatException($"{where()}: a label name must match [a-zA-Z_][a-zA-Z0-9_]* and not start with __ (at column {position + 1})");
                }

                position += labelMatch.Length;
                if (position + 1 >= line.Length || line[position] != '=' || line[position + 1] != '"')
                {
                    throw new FormatException($"{where()}: expected =\" after label {labelMatch.Value}");
                }

                position += 2;
                var value = new StringBuilder();
                while (true)
                {
                    if (position >= line.Length)
                    {
                        throw new FormatException($"{where()}: an unterminated label value");
                    }

                    var c = line[position++];
                    if (c == '"')
                    {
                        break;
                    }

                    if (c == '\\')
                    {
                        var escaped = position < line.Length ? line[position++] : ' ';
                        value.Append(escaped switch
                        {
                            '\\' => '\\',
                            '"' => '"',
                            'n' => '\n',
                            _ => throw new FormatException($"{where()}: an invalid escape \\{escaped} in a label value"),
                        });
                    }
                    else
                    {
                        value.Append(c);
                    }
                }

                if (!labels.TryAdd(labelMatch.Value, value.ToString()))
                {
                    throw new FormatException($"{where()}: label {labelMatch.Value} twice");
                }

                if (position < line.Length && line[position] == ',')
                {
                    position++;
                }
                else if (position >= line.Length || line[position] != '}')
                {
                    throw new FormatException($"{where()}: expected , or }} after a label value");
                }
            }

            if (position >= line.Length)
            {
                throw new FormatException($"{where()}: an unterminated label set");
            }

            position++;
        }

        if (position >= line.Length || line[position] != ' ')
        {
            throw new FormatException($"{where()}: expected one space and a value after the name and labels");
        }

        var fields = line[(position + 1)..].Split(' ');
        if (fields.Length is < 1 or > 2 || !TryParseValue(fields[0], out var number) || (fields.Length == 2 && !long.TryParse(fields[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)))
        {
            throw new FormatException($"{where()}: expected a value (a float, NaN, +Inf or -Inf) and an optional integer timestamp");
        }

        return new PrometheusSample(name, labels, number);
    }

    private static bool TryParseValue(string text, out double value)
    {
        switch (text)
        {
            case "NaN":
                value = double.NaN;
                return true;
            case "+Inf":
                value = double.PositiveInfinity;
                return true;
            case "-Inf":
                value = double.NegativeInfinity;
                return true;
            default:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && ValuePattern().IsMatch(text);
        }
    }

    private void CheckHistograms()
    {
        foreach (var family in _types.Where(t => t.Value == "histogram").Select(t => t.Key))
        {
            var buckets = Samples.Where(s => s.Name == family + "_bucket").ToList();
            var groups = buckets.GroupBy(b => SeriesKey(family, b.Labels.Where(l => l.Key != "le").ToDictionary(l => l.Key, l => l.Value)));
            foreach (var group in groups)
            {
                var labels = group.First().Labels.Where(l => l.Key != "le").Select(l => (l.Key, l.Value)).ToArray();
                var ordered = group.Select(b => (Bound: Bound(b, family), b.Value)).ToList();
                for (var i = 1; i < ordered.Count; i++)
                {
                    if (ordered[i].Bound <= ordered[i - 1].Bound)
                    {
                        throw new FormatException($"{family}: buckets are not in increasing order of le");
                    }

                    if (ordered[i].Value < ordered[i - 1].Value)
                    {
                        throw new FormatException($"{family}: bucket le=\"{ordered[i].Bound}\" counts fewer than the one before; buckets must be cumulative");
                    }
                }

                if (ordered.Count == 0 || !double.IsPositiveInfinity(ordered[^1].Bound))
                {
                    throw new FormatException($"{family}: no le=\"+Inf\" bucket");
                }

                var count = Samples.Where(s => s.Name == family + "_count" && s.Labels.Count == labels.Length && s.Has(labels)).ToList();
                var sum = Samples.Where(s => s.Name == family + "_sum" && s.Labels.Count == labels.Length && s.Has(labels)).ToList();
                if (count.Count != 1 || sum.Count != 1)
                {
                    throw new FormatException($"{family}: a histogram needs one _sum and one _count for each set of buckets");
                }

                if (count[0].Value != ordered[^1].Value)
                {
                    throw new FormatException($"{family}: _count ({count[0].Value}) differs from the le=\"+Inf\" bucket ({ordered[^1].Value})");
                }
            }
        }
    }

    private static double Bound(PrometheusSample bucket, string family) =>
        bucket.Labels.TryGetValue("le", out var le) && TryParseValue(le, out var bound) && !double.IsNaN(bound)
            ? bound
            : throw new FormatException($"{family}: a bucket without a numeric le label");

    [GeneratedRegex(@"^# (?<keyword>HELP|TYPE) (?<name>[a-zA-Z_:][a-zA-Z0-9_:]*) (?<rest>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex CommentPattern();

    /// <summary>A backslash not followed by a backslash or n (pairs of backslashes are consumed first).</summary>
    [GeneratedRegex(@"^(?:[^\\]|\\[\\n])*\\(?:[^\\n]|$)", RegexOptions.CultureInvariant)]
    private static partial Regex HelpEscapePattern();

    [GeneratedRegex(@"^[a-zA-Z_:][a-zA-Z0-9_:]*", RegexOptions.CultureInvariant)]
    private static partial Regex MetricNamePattern();

    [GeneratedRegex(@"[a-zA-Z_][a-zA-Z0-9_]*", RegexOptions.CultureInvariant)]
    private static partial Regex LabelNamePattern();

    [GeneratedRegex(@"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex ValuePattern();
}
