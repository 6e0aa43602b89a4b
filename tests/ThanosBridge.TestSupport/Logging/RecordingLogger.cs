using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ThanosBridge.TestSupport.Logging;

/// <summary>One recorded log event.</summary>
public sealed record LogEntry(LogLevel Level, int EventId, string Message);

/// <summary>
/// Keeps every log event (level, EventId, rendered message) so tests can assert what was logged (the role of
/// FakeLogger, whose package is not available here).
/// </summary>
public sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<LogEntry> entries = new();

    public IReadOnlyList<LogEntry> Entries => [.. entries];

    public IEnumerable<string> Messages(int eventId) => entries.Where(e => e.EventId == eventId).Select(e => e.Message);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        entries.Enqueue(new LogEntry(logLevel, eventId.Id, formatter(state, exception)));
    }
}
