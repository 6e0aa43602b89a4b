using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ThanosBridge.Testing.Ledger;

/// <summary>
/// Keeps the EventId, level and rendered message of every log entry of the ledgers under test. Shared by both test
/// assemblies like <see cref="LedgerContractTests"/> (the IntegrationTests copy is a symbolic link).
/// </summary>
public sealed class LedgerLogRecorder<T> : ILogger<T>
{
    private readonly ConcurrentQueue<(int EventId, LogLevel Level, string Message)> entries = new();

    public IReadOnlyList<(int EventId, LogLevel Level, string Message)> Entries => [.. entries];

    public IEnumerable<string> Messages(int eventId) => entries.Where(e => e.EventId == eventId).Select(e => e.Message);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        entries.Enqueue((eventId.Id, logLevel, formatter(state, exception)));
    }
}
