using System.Diagnostics;
using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using ThanosBridge.Adapters.Thanos;

namespace ThanosBridge.Telemetry;

/// <summary>Names shared by traces, metrics and logs, and the OpenTelemetry set-up built from them.</summary>
public static class BridgeTelemetry
{
    /// <summary>The service name on exported spans (resource attribute service.name).</summary>
    public const string ServiceName = "thanos-bridge";

    /// <summary>The bridge's own ActivitySource: one root span per run and cluster, one child span per stage.</summary>
    public const string ActivitySourceName = "ThanosBridge";

    /// <summary>Every ActivitySource whose spans are exported.</summary>
    public static IReadOnlyList<string> ActivitySourceNames { get; } = [ActivitySourceName, ThanosQueryClient.ActivitySourceName];

    /// <summary>The build's version (informational version of the host assembly), e.g. for <c>thanos_bridge_build_info</c>.</summary>
    public static string Version { get; } =
        typeof(BridgeTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(BridgeTelemetry).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    /// <summary>
    /// The OTLP endpoint a signal's exporter sends to: <paramref name="endpoint"/> as given for gRPC; for http/protobuf the
    /// signal path (<c>v1/traces</c>, <c>v1/metrics</c>) is appended, as the OpenTelemetry specification says for
    /// OTEL_EXPORTER_OTLP_ENDPOINT.
    /// </summary>
    public static Uri SignalEndpoint(Uri endpoint, OtlpExportProtocol protocol, string signalPath)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentException.ThrowIfNullOrEmpty(signalPath);
        if (protocol != OtlpExportProtocol.HttpProtobuf)
        {
            return endpoint;
        }

        var text = endpoint.AbsoluteUri;
        return new Uri(text.EndsWith('/') ? text + signalPath : text + "/" + signalPath);
    }

    /// <summary>
    /// OpenTelemetry through the host (OpenTelemetry.Extensions.Hosting: providers started with the host, flushed when it
    /// stops), exporting over OTLP to <paramref name="endpoint"/>: spans of <see cref="ActivitySourceNames"/>, of HttpClient
    /// (Thanos, S3), of Npgsql and of ASP.NET Core requests other than the probes and scrapes; the runtime's, ASP.NET
    /// Core's and HttpClient's metrics. The bridge's own metrics stay on /metrics.
    /// </summary>
    public static IServiceCollection AddBridgeOpenTelemetry(this IServiceCollection services, Uri endpoint, OtlpExportProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(endpoint);
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(ServiceName, serviceVersion: Version))
            .WithTracing(tracing => tracing
                .AddSource([.. ActivitySourceNames])
                // Probes and scrapes every few seconds would bury the runs' spans.
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsManagementPath(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddOtlpExporter(o =>
                {
                    o.Endpoint = SignalEndpoint(endpoint, protocol, "v1/traces");
                    o.Protocol = protocol;
                }))
            .WithMetrics(metrics => metrics
                .AddRuntimeInstrumentation()
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddOtlpExporter(o =>
                {
                    o.Endpoint = SignalEndpoint(endpoint, protocol, "v1/metrics");
                    o.Protocol = protocol;
                }));
        return services;
    }

    /// <summary>
    /// Without an exporter, a listener that has the bridge's spans created unrecorded (ids only, nothing exported), so
    /// that log lines still carry the trace and span ids of their run and stage.
    /// </summary>
    public static ActivityListener CreateLogCorrelationListener() => new()
    {
        ShouldListenTo = source => ActivitySourceNames.Contains(source.Name),
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.PropagationData,
    };

    private static bool IsManagementPath(PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz") || path.StartsWithSegments("/metrics");
}
