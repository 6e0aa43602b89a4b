using System.Reflection;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using ThanosBridge.Adapters.Thanos;

namespace ThanosBridge.Telemetry;

/// <summary>Names shared by traces, metrics and logs, and the tracer provider built from them.</summary>
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
    /// The OTLP endpoint the trace exporter sends to: <paramref name="endpoint"/> as given for gRPC; for
    /// http/protobuf the signal path <c>v1/traces</c> is appended, as the OpenTelemetry specification says for
    /// OTEL_EXPORTER_OTLP_ENDPOINT.
    /// </summary>
    public static Uri TracesEndpoint(Uri endpoint, OtlpExportProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (protocol != OtlpExportProtocol.HttpProtobuf)
        {
            return endpoint;
        }

        var text = endpoint.AbsoluteUri;
        return new Uri(text.EndsWith('/') ? text + "v1/traces" : text + "/v1/traces");
    }

    /// <summary>A tracer provider exporting <see cref="ActivitySourceNames"/> over OTLP. Dispose it at shutdown (it flushes).</summary>
    public static TracerProvider CreateTracerProvider(Uri endpoint, OtlpExportProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return Sdk.CreateTracerProviderBuilder()
            .ConfigureResource(r => r.AddService(ServiceName, serviceVersion: Version))
            .AddSource([.. ActivitySourceNames])
            .AddOtlpExporter(o =>
            {
                o.Endpoint = TracesEndpoint(endpoint, protocol);
                o.Protocol = protocol;
            })
            .Build();
    }
}
