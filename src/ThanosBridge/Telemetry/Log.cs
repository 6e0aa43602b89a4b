using Microsoft.Extensions.Logging;

namespace ThanosBridge.Telemetry;

/// <summary>Log events of the telemetry set-up and the /metrics exporter (EventIds 9020-9039).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 9020, EventName = "MetricObservationFailed", Level = LogLevel.Warning,
        Message = "observing a gauge for /metrics failed; this scrape goes on without it")]
    public static partial void ObservationFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 9021, EventName = "MetricLabelsChanged", Level = LogLevel.Warning,
        Message = "a measurement of {MetricName} has other label names than its first one; /metrics leaves it out")]
    public static partial void LabelsChanged(ILogger logger, string metricName);
}
