namespace ThanosBridge.Tests.Configuration;

/// <summary>Environments for settings tests, with real files for the variables that must name an existing file.</summary>
internal sealed class SettingsEnvironment : IDisposable
{
    public const string ThanosToken = "thanos-token-SECRET-1";
    public const string DatabasePassword = "db-password-SECRET-2";
    public const string AwsSecret = "aws-secret-SECRET-3";
    public const string KafkaPassword = "kafka-password-SECRET-4";

    private readonly string directory = Path.Combine(Path.GetTempPath(), "bridge-settings-" + Guid.NewGuid().ToString("N"));

    public SettingsEnvironment()
    {
        Directory.CreateDirectory(directory);
        CaFile = Write("ca.pem", "-----BEGIN CERTIFICATE-----\n");
        TokenFile = Write("token", "file-token\n");
        KafkaCa = Write("kafka-ca.pem", "-----BEGIN CERTIFICATE-----\n");
        AwsCa = Write("aws-ca.pem", "-----BEGIN CERTIFICATE-----\n");
    }

    public string CaFile { get; }

    public string TokenFile { get; }

    public string KafkaCa { get; }

    public string AwsCa { get; }

    public string Missing => Path.Combine(directory, "missing.pem");

    /// <summary>Only what is required without a database: the Thanos URL and the cluster list.</summary>
    public static Dictionary<string, string?> Minimal() => new(StringComparer.Ordinal)
    {
        ["THANOS_QUERY_URL"] = "http://thanos-query:9090",
        ["THANOS_BRIDGE_CLUSTERS"] = "c1=org1",
    };

    /// <summary>koku's database, S3 and Kafka (SASL over TLS), every secret set; no cluster list.</summary>
    public Dictionary<string, string?> Koku() => new(StringComparer.Ordinal)
    {
        ["THANOS_QUERY_URL"] = "https://thanos-query.observability.svc:9091/prefix",
        ["THANOS_QUERY_TOKEN"] = ThanosToken,
        ["DATABASE_SERVICE_HOST"] = "postgres.koku.svc",
        ["DATABASE_NAME"] = "koku",
        ["DATABASE_USER"] = "koku_user",
        ["DATABASE_PASSWORD"] = DatabasePassword,
        ["KAFKA_BOOTSTRAP_SERVERS"] = "kafka-0.kafka:9093,kafka-1.kafka:9093",
        ["KAFKA_SECURITY_PROTOCOL"] = "SASL_SSL",
        ["KAFKA_SASL_MECHANISM"] = "SCRAM-SHA-512",
        ["KAFKA_SASL_USERNAME"] = "bridge",
        ["KAFKA_SASL_PASSWORD"] = KafkaPassword,
        ["KAFKA_SSL_CA_LOCATION"] = KafkaCa,
        ["S3_ENDPOINT"] = "s3.openshift-storage.svc:443",
        ["AWS_ACCESS_KEY_ID"] = "AKIAEXAMPLE",
        ["AWS_SECRET_ACCESS_KEY"] = AwsSecret,
        ["THANOS_BRIDGE_S3_BUCKET"] = "koku-bucket",
    };

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, content);
        return path;
    }
}
