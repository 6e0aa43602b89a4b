namespace ThanosBridge.Configuration;

/// <summary>
/// The environment variables the bridge reads, in the order of docs/configuration.md (a test keeps the two in step).
/// koku's own names are used where koku has one, so that one Secret serves both.
/// </summary>
public static class BridgeVariables
{
    // Thanos Query.
    public const string ThanosQueryUrl = "THANOS_QUERY_URL";
    public const string ThanosQueryTokenFile = "THANOS_QUERY_TOKEN_FILE";
    public const string ThanosQueryToken = "THANOS_QUERY_TOKEN";
    public const string ThanosQueryCaFile = "THANOS_QUERY_CA_FILE";
    public const string ThanosQueryInsecureSkipVerify = "THANOS_QUERY_INSECURE_SKIP_VERIFY";
    public const string QueryTimeout = "THANOS_BRIDGE_QUERY_TIMEOUT";
    public const string QueryRetries = "THANOS_BRIDGE_QUERY_RETRIES";
    public const string StepSeconds = "THANOS_BRIDGE_STEP_SECONDS";
    public const string ClusterLabel = "THANOS_BRIDGE_CLUSTER_LABEL";
    public const string SampleSource = "THANOS_BRIDGE_SAMPLE_SOURCE";
    public const string CollectorIntervalSeconds = "THANOS_BRIDGE_COLLECTOR_INTERVAL_SECONDS";

    // What to deliver.
    public const string RosEnabled = "THANOS_BRIDGE_ROS_ENABLED";
    public const string SettleMinutes = "THANOS_BRIDGE_SETTLE_MINUTES";
    public const string BackfillDays = "THANOS_BRIDGE_BACKFILL_DAYS";
    public const string RetainNumMonths = "RETAIN_NUM_MONTHS";
    public const string Schedule = "THANOS_BRIDGE_SCHEDULE";
    public const string MaxParallelClusters = "THANOS_BRIDGE_MAX_PARALLEL_CLUSTERS";
    public const string MaxParallelQueries = "THANOS_BRIDGE_MAX_PARALLEL_QUERIES";
    public const string Clusters = "THANOS_BRIDGE_CLUSTERS";
    public const string CmmoWindowHours = "THANOS_BRIDGE_CMMO_WINDOW_HOURS";
    public const string SwitchedOverClusters = "THANOS_BRIDGE_SWITCHED_OVER_CLUSTERS";
    public const string DataDir = "THANOS_BRIDGE_DATA_DIR";
    public const string OutputDir = "THANOS_BRIDGE_OUTPUT_DIR";
    public const string S3Prefix = "THANOS_BRIDGE_S3_PREFIX";
    public const string MaxPayloadMb = "THANOS_BRIDGE_MAX_PAYLOAD_MB";
    public const string PresignExpiryHours = "THANOS_BRIDGE_PRESIGN_EXPIRY_HOURS";
    public const string ConfirmationThresholdMinutes = "THANOS_BRIDGE_CONFIRMATION_THRESHOLD_MINUTES";
    public const string MaxReannouncements = "THANOS_BRIDGE_MAX_REANNOUNCEMENTS";

    // koku's database.
    public const string DatabaseHost = "DATABASE_SERVICE_HOST";
    public const string DatabasePort = "DATABASE_SERVICE_PORT";
    public const string DatabaseName = "DATABASE_NAME";
    public const string DatabaseUser = "DATABASE_USER";
    public const string DatabasePassword = "DATABASE_PASSWORD";

    // Kafka.
    public const string KafkaBootstrapServers = "KAFKA_BOOTSTRAP_SERVERS";
    public const string InsightsKafkaHost = "INSIGHTS_KAFKA_HOST";
    public const string InsightsKafkaPort = "INSIGHTS_KAFKA_PORT";
    public const string KafkaSecurityProtocol = "KAFKA_SECURITY_PROTOCOL";
    public const string KafkaSaslMechanism = "KAFKA_SASL_MECHANISM";
    public const string KafkaSaslUsername = "KAFKA_SASL_USERNAME";
    public const string KafkaSaslPassword = "KAFKA_SASL_PASSWORD";
    public const string KafkaSslCaLocation = "KAFKA_SSL_CA_LOCATION";

    // S3.
    public const string S3Endpoint = "S3_ENDPOINT";
    public const string S3Region = "S3_REGION";
    public const string AwsAccessKeyId = "AWS_ACCESS_KEY_ID";
    public const string AwsSecretAccessKey = "AWS_SECRET_ACCESS_KEY";
    public const string AwsCaBundle = "AWS_CA_BUNDLE";
    public const string S3Bucket = "THANOS_BRIDGE_S3_BUCKET";

    // Auto-registration of ACM ManagedClusters in koku.
    public const string AutoRegister = "THANOS_BRIDGE_AUTO_REGISTER";
    public const string AutoRegisterDryRun = "THANOS_BRIDGE_AUTO_REGISTER_DRY_RUN";
    public const string AutoRegisterSelector = "THANOS_BRIDGE_AUTO_REGISTER_SELECTOR";
    public const string AutoRegisterLocalCluster = "THANOS_BRIDGE_AUTO_REGISTER_LOCAL_CLUSTER";
    public const string KokuApiUrl = "THANOS_BRIDGE_KOKU_API_URL";
    public const string KokuOrgId = "THANOS_BRIDGE_KOKU_ORG_ID";
    public const string KokuAccount = "THANOS_BRIDGE_KOKU_ACCOUNT";
    public const string KokuUsername = "THANOS_BRIDGE_KOKU_USERNAME";
    public const string KubernetesApiUrl = "THANOS_BRIDGE_KUBERNETES_API_URL";
    public const string KubernetesToken = "THANOS_BRIDGE_KUBERNETES_TOKEN";

    // Host.
    public const string HttpPort = "THANOS_BRIDGE_HTTP_PORT";
    public const string MetricsPort = "THANOS_BRIDGE_METRICS_PORT";
    public const string OtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string OtlpProtocol = "OTEL_EXPORTER_OTLP_PROTOCOL";

    /// <summary>Variables whose values are never shown: messages and <see cref="BridgeSettings.Describe"/> print <c>&lt;redacted&gt;</c>.</summary>
    public static IReadOnlySet<string> Secrets { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        ThanosQueryToken, DatabasePassword, KafkaSaslPassword, AwsSecretAccessKey, KubernetesToken,
    };

    /// <summary>Every variable, in documentation order.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        ThanosQueryUrl, ThanosQueryTokenFile, ThanosQueryToken, ThanosQueryCaFile, ThanosQueryInsecureSkipVerify,
        QueryTimeout, QueryRetries, SampleSource, CollectorIntervalSeconds, StepSeconds, ClusterLabel,
        RosEnabled, SettleMinutes, BackfillDays, RetainNumMonths, Schedule, MaxParallelClusters, MaxParallelQueries, Clusters, CmmoWindowHours, SwitchedOverClusters, DataDir,
        OutputDir, S3Prefix, MaxPayloadMb, PresignExpiryHours, ConfirmationThresholdMinutes, MaxReannouncements,
        DatabaseHost, DatabasePort, DatabaseName, DatabaseUser, DatabasePassword,
        KafkaBootstrapServers, InsightsKafkaHost, InsightsKafkaPort, KafkaSecurityProtocol, KafkaSaslMechanism,
        KafkaSaslUsername, KafkaSaslPassword, KafkaSslCaLocation,
        S3Endpoint, S3Region, AwsAccessKeyId, AwsSecretAccessKey, AwsCaBundle, S3Bucket,
        AutoRegister, AutoRegisterDryRun, AutoRegisterSelector, AutoRegisterLocalCluster, KokuApiUrl, KokuOrgId, KokuAccount, KokuUsername,
        KubernetesApiUrl, KubernetesToken,
        HttpPort, MetricsPort, OtlpEndpoint, OtlpProtocol,
    ];

    public const string Redacted = "<redacted>";
}
