using System.Diagnostics.Metrics;
using System.Text;

namespace Cluster.Supervisor.Metrics;

/// <summary>
/// Renders one meter's observable instruments, and fixed-bucket histograms, in the Prometheus text format. A
/// <see cref="MeterListener"/> collects the observable instruments when a scrape asks for them; nothing is recorded
/// in between. Ours rather than a library's: OpenTelemetry's Prometheus exporter is a pre-release that aggregates histograms
/// recorded on every request, prometheus-net is unmaintained and not trim-safe (README, Dependencies).
/// </summary>
internal sealed class PrometheusExporter : IDisposable
{
    private readonly Lock _gate = new();
    private readonly MeterListener _listener = new();
    private readonly List<Instrument> _instruments = [];
    private readonly Dictionary<Instrument, List<string>> _samples = [];
    private readonly IReadOnlyList<HistogramMetric> _histograms;

    public PrometheusExporter(Meter meter, IReadOnlyList<HistogramMetric> histograms)
    {
        _histograms = histograms;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // Only observable instruments: a pushed measurement would arrive outside a scrape and be lost.
            if (instrument.Meter == meter && instrument.IsObservable && TypeOf(instrument) is not null)
            {
                lock (_gate)
                {
                    _instruments.Add(instrument);
                }

                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.MeasurementsCompleted = (instrument, _) =>
        {
            lock (_gate)
            {
                _instruments.Remove(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Collect(instrument, PrometheusText.Number(value), tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Collect(instrument, PrometheusText.Number(value), tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Collect(instrument, PrometheusText.Number(value), tags));
        _listener.Start();
    }

    /// <summary>Observes every instrument now and renders all of them; instruments without a measurement are left out.</summary>
    public string Render()
    {
        lock (_gate)
        {
            _samples.Clear();
            // Calls the Collect callbacks on this thread, inside this lock.
            _listener.RecordObservableInstruments();
            var text = new StringBuilder();
            foreach (var instrument in _instruments)
            {
                if (_samples.TryGetValue(instrument, out var samples) && samples.Count > 0)
                {
                    var type = TypeOf(instrument)!;
                    var name = PrometheusText.MetricName(instrument.Name, instrument.Unit, type == "counter");
                    WriteHeader(text, name, instrument.Description ?? instrument.Name, type);
                    foreach (var sample in samples)
                    {
                        text.Append(name).Append(sample).Append('\n');
                    }
                }
            }

            foreach (var histogram in _histograms)
            {
                WriteHistogram(text, histogram);
            }

            _samples.Clear();
            return text.ToString();
        }
    }

    public void Dispose() => _listener.Dispose();

    private static string? TypeOf(Instrument instrument) =>
        instrument.GetType().IsGenericType ? instrument.GetType().GetGenericTypeDefinition() switch
        {
            var t when t == typeof(ObservableCounter<>) => "counter",
            var t when t == typeof(ObservableGauge<>) || t == typeof(ObservableUpDownCounter<>) => "gauge",
            _ => null,
        } : null;

    private static void WriteHeader(StringBuilder text, string name, string help, string type) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(PrometheusText.EscapeHelp(help)).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void WriteHistogram(StringBuilder text, HistogramMetric histogram)
    {
        var name = PrometheusText.MetricName(histogram.Name, histogram.Unit, counter: false);
        var series = histogram.Read().ToList();
        if (series.Count == 0)
        {
            // As an instrument without a measurement: left out.
            return;
        }

        WriteHeader(text, name, histogram.Description, "histogram");
        foreach (var (labels, snapshot) in series)
        {
            var own = string.Concat(labels.Select(l => $"{PrometheusText.LabelName(l.Key)}=\"{PrometheusText.EscapeLabelValue(l.Value)}\","));
            var labelSet = own.Length == 0 ? string.Empty : "{" + own.TrimEnd(',') + "}";
            for (var i = 0; i < snapshot.CumulativeCounts.Count; i++)
            {
                var bound = i < snapshot.UpperBounds.Count ? PrometheusText.Number(snapshot.UpperBounds[i]) : "+Inf";
                text.Append(name).Append("_bucket{").Append(own).Append("le=\"").Append(bound).Append("\"} ").Append(PrometheusText.Number(snapshot.CumulativeCounts[i])).Append('\n');
            }

            text.Append(name).Append("_sum").Append(labelSet).Append(' ').Append(PrometheusText.Number(snapshot.Sum)).Append('\n');
            text.Append(name).Append("_count").Append(labelSet).Append(' ').Append(PrometheusText.Number(snapshot.Count)).Append('\n');
        }
    }

    /// <summary>Keeps one sample as its label set and value, e.g. <c>{worker="0"} 12</c>; the name is added when rendering.</summary>
    private void Collect(Instrument instrument, string value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var sample = new StringBuilder();
        if (tags.Length > 0)
        {
            sample.Append('{');
            for (var i = 0; i < tags.Length; i++)
            {
                sample.Append(i == 0 ? string.Empty : ",")
                    .Append(PrometheusText.LabelName(tags[i].Key))
                    .Append("=\"")
                    .Append(PrometheusText.EscapeLabelValue(Convert.ToString(tags[i].Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty))
                    .Append('"');
            }

            sample.Append('}');
        }

        sample.Append(' ').Append(value);
        if (!_samples.TryGetValue(instrument, out var samples))
        {
            _samples[instrument] = samples = [];
        }

        samples.Add(sample.ToString());
    }
}
