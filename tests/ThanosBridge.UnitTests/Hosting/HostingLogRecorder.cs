using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ThanosBridge.UnitTests.Hosting;

/// <summary>Keeps every log event (level, EventId, rendered message) so tests can assert what was logged.</summary>
internal sealed class HostingLogRecorder<T> : ILogger<T>
{
    private readonly ConcurrentQueue<HostingLogEntry> entries = new();

    public IReadOnlyList<HostingLogEntry> Entries => [.. entries];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        entries.Enqueue(new HostingLogEntry(logLevel, eventId.Id, formatter(state, exception)));
}

internal sealed record HostingLogEntry(LogLevel Level, int EventId, string Message);
