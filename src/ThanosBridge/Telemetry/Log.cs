using Microsoft.Extensions.Logging;

namespace ThanosBridge.Telemetry;

/// <summary>Log events of the telemetry set-up and the /metrics exporter (EventIds 9020-9039).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 9020, EventName = "MetricObservationFailed", Level = LogLevel.Warning,
        Message = "observing a gauge for /metrics failed; this scrape goes on without it")]
    public static partial void ObservationFailed(ILogger logger, Exception exception);
}
