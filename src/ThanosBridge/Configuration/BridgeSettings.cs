using OpenTelemetry.Exporter;
using ThanosBridge.Adapters.Kafka;
using ThanosBridge.Adapters.Koku;
using ThanosBridge.Adapters.S3;
using ThanosBridge.Adapters.Thanos;
using ThanosBridge.Core.Confirmation;
using ThanosBridge.Core.Delivery;
using ThanosBridge.Core.Discovery;

namespace ThanosBridge.Configuration;

/// <summary>
/// Everything the bridge reads from its environment, validated (<see cref="BridgeSettingsLoader"/>). The variables and
/// their defaults are listed in docs/configuration.md.
/// </summary>
public sealed class BridgeSettings
{
    public const string DefaultSchedule = "0 */6 * * *";
    public const int DefaultHttpPort = 8080;
    public const int DefaultMetricsPort = 9090;

    private readonly IReadOnlyList<DescribedVariable> described;

    internal BridgeSettings(IReadOnlyList<DescribedVariable> described)
    {
        this.described = described;
    }

    /// <summary>THANOS_QUERY_* and THANOS_BRIDGE_QUERY_*: how to reach Thanos Query.</summary>
    public required ThanosClientOptions Thanos { get; init; }

    /// <summary>What to deliver: step, cluster label, settle time, backfill, retention, ROS, parallelism, key prefix.</summary>
    public required DeliveryOptions Delivery { get; init; }

    /// <summary>koku's database (DATABASE_*), or null: then <see cref="Clusters"/> lists the clusters and the ledger is a file.</summary>
    public KokuDatabaseOptions? Database { get; init; }

    /// <summary>S3 (S3_ENDPOINT, AWS_*); set exactly when <see cref="Kafka"/> is.</summary>
    public S3Options? S3 { get; init; }

    /// <summary>Kafka (KAFKA_* or INSIGHTS_KAFKA_*); set exactly when <see cref="S3"/> is.</summary>
    public KafkaOptions? Kafka { get; init; }

    /// <summary>True when payloads go to S3 and are announced on Kafka; false when they are written to <see cref="OutputDirectory"/>.</summary>
    public bool DeliversToKoku => S3 is not null && Kafka is not null;

    /// <summary>THANOS_BRIDGE_CLUSTERS as given (null when unset).</summary>
    public string? ClustersRaw { get; init; }

    /// <summary>THANOS_BRIDGE_CLUSTERS parsed: one entry per id=org pair, in the given order (empty when unset).</summary>
    public IReadOnlyList<DiscoveredCluster> Clusters { get; init; } = [];

    /// <summary>When a cluster whose CMMO still uploads is left to it (koku's database only).</summary>
    public CoexistenceOptions Coexistence { get; init; } = new(TimeSpan.FromHours(24), new HashSet<ClusterId>());

    /// <summary>
    /// Delivery confirmation (THANOS_BRIDGE_CONFIRMATION_THRESHOLD_MINUTES, THANOS_BRIDGE_MAX_REANNOUNCEMENTS); it runs only
    /// when <see cref="ConfirmsDelivery"/>.
    /// </summary>
    public ConfirmationOptions Confirmation { get; init; } = ConfirmationOptions.Default;

    /// <summary>
    /// True when the bridge can check koku's manifest tables for what it announced: koku's database is configured and
    /// payloads go to S3 and Kafka. Off in embedded mode.
    /// </summary>
    public bool ConfirmsDelivery => Database is not null && DeliversToKoku;

    /// <summary>THANOS_BRIDGE_DATA_DIR (default "data"): the bridge's own state when there is no database.</summary>
    public string DataDirectory { get; init; } = "data";

    /// <summary>THANOS_BRIDGE_OUTPUT_DIR (default "out"): where payloads go when S3 and Kafka are not configured.</summary>
    public string OutputDirectory { get; init; } = "out";

    /// <summary>THANOS_BRIDGE_SCHEDULE and its Quartz form.</summary>
    public required CronSchedule Schedule { get; init; }

    /// <summary>THANOS_BRIDGE_AUTO_REGISTER and its settings; null when auto-registration is off (the default).</summary>
    public RegistrationSettings? Registration { get; init; }

    /// <summary>THANOS_BRIDGE_HTTP_PORT (default 8080): /healthz and /readyz.</summary>
    public int HttpPort { get; init; } = DefaultHttpPort;

    /// <summary>THANOS_BRIDGE_METRICS_PORT (default 9090): /metrics.</summary>
    public int MetricsPort { get; init; } = DefaultMetricsPort;

    /// <summary>OTEL_EXPORTER_OTLP_ENDPOINT: traces are exported over OTLP only when set.</summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary>OTEL_EXPORTER_OTLP_PROTOCOL: grpc (default) or http/protobuf.</summary>
    public OtlpExportProtocol OtlpProtocol { get; init; } = OtlpExportProtocol.Grpc;

    /// <summary>
    /// One line <c>NAME=value</c> per variable in documentation order, for <c>check-config</c>: secrets and URL
    /// credentials as <c>&lt;redacted&gt;</c>, defaults followed by <c> (default)</c>, unset optional variables as
    /// <c>NAME= (unset)</c>.
    /// </summary>
    public IReadOnlyList<string> Describe() => [.. described.Select(d => d.ToString())];
}

/// <summary>A schedule as configured (5-field Unix cron) and as Quartz reads it.</summary>
public sealed record CronSchedule(string Unix, string Quartz)
{
    /// <exception cref="FormatException"><paramref name="unix"/> is not a valid Unix cron expression.</exception>
    public static CronSchedule Parse(string unix) => new(unix, UnixCron.ToQuartz(unix));
}
