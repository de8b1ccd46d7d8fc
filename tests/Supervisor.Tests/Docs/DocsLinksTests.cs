using System.Text.RegularExpressions;
using Cluster.TestSupport;

namespace Cluster.Supervisor.Tests.Docs;

/// <summary>Every relative link in README.md, docs/*.md and bench/*.md reaches a file, and its #anchor a heading there.</summary>
public sealed partial class DocsLinksTests
{
    private static IEnumerable<string> Pages() =>
        new[] { RepositoryPaths.InRepository("README.md") }
            .Concat(Directory.EnumerateFiles(RepositoryPaths.InRepository("docs"), "*.md"))
            .Concat(Directory.EnumerateFiles(RepositoryPaths.InRepository("bench"), "*.md"));

    [Test]
    public void Every_relative_link_and_anchor_resolves()
    {
        var broken = new List<string>();
        var links = 0;
        foreach (var page in Pages())
        {
            var text = CodeBlock().Replace(File.ReadAllText(page), string.Empty);
            foreach (Match link in Link().Matches(text))
            {
                var target = link.Groups["target"].Value;
                if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
                {
                    continue;
                }

                links++;
                var (file, anchor) = target.Split('#', 2) is [var f, var a] ? (f, a) : (target, null);
                var path = file.Length == 0 ? page : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, file));
                if (!File.Exists(path) && !Directory.Exists(path))
                {
                    broken.Add($"{Relative(page)}: {target} (no such file)");
                }
                else if (anchor is not null && path.EndsWith(".md", StringComparison.Ordinal) && !Anchors(path).Contains(anchor))
                {
                    broken.Add($"{Relative(page)}: {target} (no such heading in {Relative(path)})");
                }
            }
        }

        Assert.That(links, Is.GreaterThan(50), "the pages link to each other");
        Assert.That(
            Pages().SelectMany(page => Reference().Matches(File.ReadAllText(page)).Select(m => $"{Relative(page)}: {m.Value}")),
            Is.Empty,
            "a reference to another section by its title in quotes: make it a link");
        Assert.That(broken, Is.Empty, string.Join("\n", broken));
    }

    /// <summary>GitHub's anchors: headings lower-cased, punctuation dropped, spaces made hyphens, repeats numbered.</summary>
    private static HashSet<string> Anchors(string page)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match heading in Heading().Matches(CodeBlock().Replace(File.ReadAllText(page), string.Empty)))
        {
            var slug = NotInSlug().Replace(heading.Groups["title"].Value.Trim().ToLowerInvariant(), string.Empty).Replace(' ', '-');
            var unique = slug;
            for (var i = 1; !anchors.Add(unique); i++)
            {
                unique = $"{slug}-{i}";
            }
        }

        return anchors;
    }

    private static string Relative(string path) => Path.GetRelativePath(RepositoryPaths.Root, path);

    [GeneratedRegex(@"\[(?<text>[^\]]*)\]\((?<target>[^)\s]+)\)")]
    private static partial Regex Link();

    /// <summary>"see "Logs"", as the split left them: a section named in quotes rather than linked.</summary>
    [GeneratedRegex(@"\b[Ss]ee (the README's )?""[A-Z][^""]*""")]
    private static partial Regex Reference();

    [GeneratedRegex(@"^#{1,6}\s+(?<title>.+)$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"^```.*?^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    [GeneratedRegex(@"[^\p{L}\p{N}\s_-]")]
    private static partial Regex NotInSlug();
}
