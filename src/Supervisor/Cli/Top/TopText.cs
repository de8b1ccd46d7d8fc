using System.Text;

namespace Cluster.Supervisor.Cli.Top;

/// <summary>`supervisor top` without a terminal (`| cat`, CI): one plain-text snapshot, no escape sequences.</summary>
internal static class TopText
{
    public static string Format(TopSample sample)
    {
        var text = new StringBuilder();
        text.AppendLine(TopFormat.Supervisor(sample.Report));
        text.AppendLine(TopFormat.Traffic(sample.Rates));
        foreach (var app in TopFormat.Apps(sample.Report))
        {
            text.AppendLine(app);
        }
        text.AppendLine();
        StatusPrinter.AppendTable(text, TopFormat.Headings, sample.Report.Workers.Select(w => TopFormat.Row(w, sample.Rates)).ToList());
        text.AppendLine();
        text.AppendLine("recent lifecycle lines:");
        foreach (var line in sample.Lifecycle)
        {
            text.Append("  ").AppendLine(line);
        }

        return text.ToString().TrimEnd();
    }
}
