using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using ThanosBridge.Configuration;

namespace ThanosBridge.Hosting;

/// <summary>The bridge's log output: one JSON object per line on stdout (docs/observability.md).</summary>
public static class LoggingBuilderExtensions
{
    /// <summary>
    /// Replaces the providers with the JSON console formatter: UTC timestamps, scopes included (cluster_id, day, query
    /// set by the pipeline) and, through <see cref="ActivityTrackingOptions"/>, the TraceId and SpanId of the current
    /// span in every event. Framework categories that chatter per request are raised to Warning.
    /// </summary>
    public static ILoggingBuilder AddBridgeJsonConsole(this ILoggingBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ClearProviders();
        builder.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        builder.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
            o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
        });
        builder.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        return builder;
    }

    /// <summary>Logs the loaded configuration's outline (EventId 9000); <see cref="BridgeSettings.Describe"/> has the detail.</summary>
    public static void LogConfigurationLoaded(this ILogger logger, BridgeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(settings);
        Log.ConfigurationLoaded(logger, settings.Schedule.Unix, settings.Schedule.Quartz,
            settings.Database is null ? "THANOS_BRIDGE_CLUSTERS" : "koku database",
            settings.DeliversToKoku ? "S3 and Kafka" : "THANOS_BRIDGE_OUTPUT_DIR");
    }
}
