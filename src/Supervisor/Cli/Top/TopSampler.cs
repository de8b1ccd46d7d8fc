using Cluster.Supervisor.Control;

namespace Cluster.Supervisor.Cli.Top;

/// <summary>Takes `supervisor top`'s samples from the control socket: the status, and the last lifecycle lines of the log.</summary>
internal sealed class TopSampler(ControlClient client)
{
    public const int LifecycleLines = 6;

    private StatusReport? _previous;

    public async Task<TopSample> NextAsync(CancellationToken cancellationToken)
    {
        var report = await client.StatusAsync(cancellationToken);
        var lines = new List<string>();
        await foreach (var record in client.LogsAsync(LifecycleLines, follow: false, worker: null, output: false, cancellationToken: cancellationToken))
        {
            if (record.Text is { } text)
            {
                lines.Add(text);
            }
        }

        var rates = _previous is null ? null : TrafficRates.Between(_previous, report);
        _previous = report;
        return new TopSample(report, rates, lines);
    }
}
