using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.Tests.Fakes;

/// <summary>Keeps every formatted log message, with its level, for assertions.</summary>
public sealed class ListLogger : ILogger
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message)> _entries = new();

    public IReadOnlyList<(LogLevel Level, string Message)> Entries => _entries.ToList();

    public IReadOnlyList<string> Messages => _entries.Select(e => e.Message).ToList();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue((logLevel, formatter(state, exception)));

    public bool Contains(string fragment) => _entries.Any(e => e.Message.Contains(fragment, StringComparison.Ordinal));
}
