using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Extensions.Logging;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using ILogger = Microsoft.Extensions.Logging.ILogger;
using ThanosBridge.Configuration;

namespace ThanosBridge.Hosting;

/// <summary>The bridge's log output: one JSON object per line on stdout (docs/observability.md).</summary>
public static class LoggingBuilderExtensions
{
    /// <summary>
    /// Replaces the providers with Serilog writing compact JSON (CLEF, <see cref="RenderedCompactJsonFormatter"/>):
    /// <c>@t</c> timestamp, <c>@m</c> rendered message, <c>@l</c> level (absent for Information), <c>@x</c> exception,
    /// <c>@tr</c>/<c>@sp</c> the current span's trace and span ids, <c>EventId</c> with <c>Id</c> and <c>Name</c>,
    /// <c>SourceContext</c> (the category), and every message property and scope value (<c>cluster_id</c>,
    /// <c>day</c>, <c>query</c>) as a field of its own. Levels stay Microsoft.Extensions.Logging's (filters and
    /// <c>Logging__LogLevel__*</c>); framework categories that chatter per request are raised to Warning.
    /// </summary>
    /// <param name="builder">The host's logging.</param>
    /// <param name="output">Where the lines go; standard output when null (tests pass a writer).</param>
    public static ILoggingBuilder AddBridgeJsonLogs(this ILoggingBuilder builder, TextWriter? output = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ClearProviders();
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Verbose() // what reaches Serilog has passed the filters below
            .Enrich.FromLogContext();
        var formatter = new RenderedCompactJsonFormatter();
        configuration = output is null
            ? configuration.WriteTo.Console(formatter)
            : configuration.WriteTo.Sink(new WriterSink(formatter, output));
        // The provider itself, not AddSerilog: that also adds a rule letting every level through to Serilog, which would
        // override the category filters below and the Logging__LogLevel__* settings.
        builder.AddProvider(new SerilogLoggerProvider(configuration.CreateLogger(), dispose: true));
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

    /// <summary>The same lines into a writer (the console sink writes only to the process's standard output).</summary>
    private sealed class WriterSink(ITextFormatter formatter, TextWriter output) : ILogEventSink
    {
        private readonly Lock gate = new();

        public void Emit(LogEvent logEvent)
        {
            lock (gate)
            {
                formatter.Format(logEvent, output);
            }
        }
    }
}
