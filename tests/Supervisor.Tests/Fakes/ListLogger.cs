using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.Tests.Fakes;

/// <summary>Keeps every formatted log message, with its level and the properties of the scope it was logged in.</summary>
public sealed class ListLogger : ILogger
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();
    private readonly AsyncLocal<IReadOnlyDictionary<string, object>?> _scope = new();

    public IReadOnlyList<(LogLevel Level, string Message)> Entries => _entries.Select(e => (e.Level, e.Message)).ToList();

    public IReadOnlyList<LogEntry> Detailed => _entries.ToList();

    public IReadOnlyList<string> Messages => _entries.Select(e => e.Message).ToList();

    public string Text => string.Join('\n', Messages);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull
    {
        var previous = _scope.Value;
        _scope.Value = state as IReadOnlyDictionary<string, object>;
        return new Restore(() => _scope.Value = previous);
    }

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue(new LogEntry(logLevel, formatter(state, exception), _scope.Value ?? new Dictionary<string, object>()));

    public bool Contains(string fragment) => _entries.Any(e => e.Message.Contains(fragment, StringComparison.Ordinal));

    public LogEntry The(string fragment) => _entries.Single(e => e.Message.Contains(fragment, StringComparison.Ordinal));

    public sealed record LogEntry(LogLevel Level, string Message, IReadOnlyDictionary<string, object> Properties);

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}
