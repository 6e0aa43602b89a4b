using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace ThanosBridge.TestSupport.Logging;

/// <summary>One logged event as the tests compare it.</summary>
public sealed record LogEntry(LogLevel Level, int EventId, string Message);

/// <summary>The events a <see cref="FakeLogger"/> (Microsoft.Extensions.Diagnostics.Testing) collected, as <see cref="LogEntry"/>s.</summary>
public static class FakeLoggerEntries
{
    public static IReadOnlyList<LogEntry> Entries(this FakeLogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        return [.. logger.Collector.GetSnapshot().Select(r => new LogEntry(r.Level, r.Id.Id, r.Message))];
    }

    public static IEnumerable<string> Messages(this FakeLogger logger, int eventId) =>
        logger.Entries().Where(e => e.EventId == eventId).Select(e => e.Message);
}
