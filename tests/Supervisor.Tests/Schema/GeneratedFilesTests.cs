using Cluster.Shared.Configuration.Layout;
using Cluster.TestSupport;

namespace Cluster.Supervisor.Tests.Schema;

/// <summary>
/// supervisor.schema.json and the key table of docs/configuration.md are made from the layout; the committed copies
/// must be what it makes. To refresh them after changing the layout: CLUSTER_WRITE_GENERATED=1 dotnet test --filter
/// GeneratedFilesTests (or `supervisor config schema > supervisor.schema.json`).
/// </summary>
public sealed class GeneratedFilesTests
{
    public const string TableStart = "<!-- key table: generated from src/Shared/Configuration/Layout/ConfigLayout.cs; edit it there -->";

    public const string TableEnd = "<!-- end of key table -->";

    private static bool Write => Environment.GetEnvironmentVariable("CLUSTER_WRITE_GENERATED") == "1";

    [Test]
    public void The_committed_schema_is_the_generated_one()
    {
        var path = RepositoryPaths.InRepository("supervisor.schema.json");
        if (Write)
        {
            File.WriteAllText(path, ConfigDocuments.Schema());
        }

        Assert.That(File.ReadAllText(path), Is.EqualTo(ConfigDocuments.Schema()), "supervisor.schema.json is stale: run `supervisor config schema > supervisor.schema.json` (or this test with CLUSTER_WRITE_GENERATED=1)");
    }

    [Test]
    public void The_docs_key_table_is_the_generated_one()
    {
        var path = RepositoryPaths.InRepository("docs/configuration.md");
        var text = File.ReadAllText(path);
        var start = text.IndexOf(TableStart, StringComparison.Ordinal);
        var end = text.IndexOf(TableEnd, StringComparison.Ordinal);
        Assert.That(start >= 0 && end > start, Is.True, "docs/configuration.md has no key table markers");

        var committed = text[(start + TableStart.Length)..end].Trim('\n');
        if (Write)
        {
            File.WriteAllText(path, $"{text[..(start + TableStart.Length)]}\n{ConfigDocuments.KeyTable()}{text[end..]}");
            committed = ConfigDocuments.KeyTable().Trim('\n');
        }

        Assert.That(committed, Is.EqualTo(ConfigDocuments.KeyTable().Trim('\n')), "the key table of docs/configuration.md is stale: run this test with CLUSTER_WRITE_GENERATED=1");
    }
}
