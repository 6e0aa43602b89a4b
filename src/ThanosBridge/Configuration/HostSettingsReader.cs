using System.Globalization;
using OpenTelemetry.Exporter;
using V = ThanosBridge.Configuration.BridgeVariables;

namespace ThanosBridge.Configuration;

/// <summary>Reads THANOS_BRIDGE_HTTP_PORT, THANOS_BRIDGE_METRICS_PORT, OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_EXPORTER_OTLP_PROTOCOL.</summary>
internal static class HostSettingsReader
{
    private static readonly string[] OtlpProtocols = ["grpc", "http/protobuf"];

    public static (int HttpPort, int MetricsPort, Uri? OtlpEndpoint, OtlpExportProtocol OtlpProtocol) Read(VariableReader reader)
    {
        var httpPort = reader.Int(V.HttpPort, BridgeSettings.DefaultHttpPort, 1, 65535);
        var metricsPort = reader.Int(V.MetricsPort, BridgeSettings.DefaultMetricsPort, 1, 65535);
        if (httpPort == metricsPort && !reader.HasProblem(V.HttpPort) && !reader.HasProblem(V.MetricsPort))
        {
            reader.Fail(V.MetricsPort, string.Create(CultureInfo.InvariantCulture,
                $"{metricsPort} is also THANOS_BRIDGE_HTTP_PORT; health and metrics are served on separate ports"));
        }

        var otlpEndpoint = reader.HttpUrl(V.OtlpEndpoint);
        var otlpProtocolName = reader.OneOf(V.OtlpProtocol, OtlpProtocols);
        if (otlpProtocolName is null && !reader.IsSet(V.OtlpProtocol))
        {
            reader.Describe(V.OtlpProtocol, "grpc", isDefault: true);
        }

        var otlpProtocol = otlpProtocolName == "http/protobuf" ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
        return (httpPort, metricsPort, otlpEndpoint, otlpProtocol);
    }
}
