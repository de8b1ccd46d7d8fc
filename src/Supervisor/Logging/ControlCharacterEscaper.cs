using Serilog.Core;
using Serilog.Events;

namespace Cluster.Supervisor.Logging;

/// <summary>
/// Escapes control characters (<see cref="LogText"/>) in every text property of every event, before any destination
/// renders it: the console, the files (text and JSON), and the in-memory log `supervisor logs` serves. At this one place
/// rather than at each call that logs a path, a header or a host, so that no line can be missed, the framework's
/// (Kestrel, YARP at debug level) and the workers' output included. The message templates are the supervisor's own text.
/// </summary>
internal sealed class ControlCharacterEscaper : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        List<LogEventProperty>? escaped = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            var safe = Escape(value);
            if (!ReferenceEquals(safe, value))
            {
                (escaped ??= []).Add(new LogEventProperty(name, safe));
            }
        }

        foreach (var property in escaped ?? [])
        {
            logEvent.AddOrUpdateProperty(property);
        }
    }

    /// <summary>The same value when nothing in it needs escaping, else a copy with its text escaped.</summary>
    private static LogEventPropertyValue Escape(LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue { Value: string text } when LogText.NeedsEscaping(text):
                return new ScalarValue(LogText.Escape(text));
            case SequenceValue sequence:
                var elements = sequence.Elements.Select(Escape).ToList();
                return elements.SequenceEqual(sequence.Elements, ReferenceEqualityComparer.Instance) ? value : new SequenceValue(elements);
            case StructureValue structure:
                var properties = structure.Properties.Select(p => (Property: p, Value: Escape(p.Value))).ToList();
                return properties.All(p => ReferenceEquals(p.Value, p.Property.Value))
                    ? value
                    : new StructureValue(properties.Select(p => new LogEventProperty(p.Property.Name, p.Value)), structure.TypeTag);
            case DictionaryValue dictionary:
                var entries = dictionary.Elements.Select(e => (Key: (ScalarValue)Escape(e.Key), Value: Escape(e.Value), Entry: e)).ToList();
                return entries.All(e => ReferenceEquals(e.Key, e.Entry.Key) && ReferenceEquals(e.Value, e.Entry.Value))
                    ? value
                    : new DictionaryValue(entries.Select(e => new KeyValuePair<ScalarValue, LogEventPropertyValue>(e.Key, e.Value)));
            default:
                return value;
        }
    }
}
