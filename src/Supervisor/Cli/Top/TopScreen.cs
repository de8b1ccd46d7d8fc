using Cluster.Supervisor.Control;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Cluster.Supervisor.Cli.Top;

/// <summary>`supervisor top`'s live screen: the supervisor, the front end's rates, one row per worker, the last lifecycle lines.</summary>
internal static class TopScreen
{
    public static IRenderable Render(TopSample sample)
    {
        var table = new Table().Border(TableBorder.Simple).Expand();
        foreach (var heading in TopFormat.Headings)
        {
            table.AddColumn(new TableColumn(new Text(heading, new Style(decoration: Decoration.Bold))));
        }

        foreach (var worker in sample.Report.Workers)
        {
            var cells = TopFormat.Row(worker, sample.Rates);
            var style = RowStyle(worker);
            table.AddRow(cells.Select((cell, i) => (IRenderable)new Text(cell, i == TopFormat.StateColumn ? StateStyle(worker.State) : style)));
        }

        var lifecycle = sample.Lifecycle.Select(line => (IRenderable)new Text(line, new Style(Color.Grey))).ToList();
        return new Rows(
        [
            new Text(TopFormat.Supervisor(sample.Report), new Style(decoration: Decoration.Bold)),
            new Text(TopFormat.Traffic(sample.Rates)),
            .. TopFormat.Apps(sample.Report).Select(app => (IRenderable)new Text(app)),
            table,
            new Rule("recent lifecycle lines") { Justification = Justify.Left },
            .. lifecycle,
            new Text(string.Empty),
            new Text("q or Ctrl+C: quit", new Style(Color.Grey)),
        ]);
    }

    private static Style RowStyle(WorkerStatus worker) => TopFormat.NeedsAttention(worker)
        ? new Style(worker.State is "crashLoop" or "failed" ? Color.Red : Color.Yellow, decoration: Decoration.Bold)
        : worker.RestartsLastHour > 0 ? new Style(Color.Yellow) : Style.Plain;

    private static Style StateStyle(string state) => state switch
    {
        "ready" => new Style(Color.Green, decoration: Decoration.Bold),
        "starting" or "draining" or "stopping" or "stopped" => new Style(Color.Aqua),
        "unhealthy" or "backoff" or "exited" => new Style(Color.Yellow, decoration: Decoration.Bold),
        "crashLoop" or "failed" => new Style(Color.Red, decoration: Decoration.Bold | Decoration.Invert),
        _ => Style.Plain,
    };
}
