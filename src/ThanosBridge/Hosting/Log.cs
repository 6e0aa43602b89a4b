using Microsoft.Extensions.Logging;

namespace ThanosBridge.Hosting;

/// <summary>Log events of the host set-up (EventIds 9000-9019).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 9000, EventName = "ConfigurationLoaded", Level = LogLevel.Information,
        Message = "configuration loaded: schedule {Schedule} (Quartz {QuartzSchedule}), clusters from {ClusterSource}, payloads to {PayloadTarget}")]
    public static partial void ConfigurationLoaded(ILogger logger, string schedule, string quartzSchedule, string clusterSource, string payloadTarget);

    [LoggerMessage(EventId = 9001, EventName = "TracingEnabled", Level = LogLevel.Information,
        Message = "exporting over OTLP ({OtlpProtocol}) to {OtlpEndpoint}: spans of {ActivitySources}, HttpClient, Npgsql and ASP.NET Core requests (not probes or scrapes); runtime, ASP.NET Core and HttpClient metrics")]
    public static partial void TracingEnabled(ILogger logger, string activitySources, string otlpProtocol, string otlpEndpoint);

    [LoggerMessage(EventId = 9002, EventName = "TracingDisabled", Level = LogLevel.Information,
        Message = "OTEL_EXPORTER_OTLP_ENDPOINT is not set; traces are not exported (logs still carry trace and span ids)")]
    public static partial void TracingDisabled(ILogger logger);

    [LoggerMessage(EventId = 9003, EventName = "EndpointsListening", Level = LogLevel.Information,
        Message = "serving /healthz and /readyz on port {HealthPort} and /metrics on port {MetricsPort}")]
    public static partial void EndpointsListening(ILogger logger, int healthPort, int metricsPort);
}
