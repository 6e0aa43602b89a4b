using Microsoft.Extensions.Configuration;
using OpenTelemetry.Exporter;
using ThanosBridge.Configuration;
using ThanosBridge.Core.Confirmation;

namespace ThanosBridge.Tests.Configuration;

public sealed class BridgeSettingsLoaderTests : IDisposable
{
    private readonly SettingsEnvironment files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void Load_MinimalEnvironment_AppliesEveryDefault()
    {
        var sut = BridgeSettingsLoader.Load(SettingsEnvironment.Minimal());

        sut.Thanos.BaseUrl.ShouldBe(new Uri("http://thanos-query:9090"));
        sut.Thanos.BearerToken.ShouldBeNull();
        sut.Thanos.BearerTokenFile.ShouldBeNull();
        sut.Thanos.CaFile.ShouldBeNull();
        sut.Thanos.InsecureSkipVerify.ShouldBeFalse();
        sut.Thanos.QueryTimeout.ShouldBe(TimeSpan.FromSeconds(120));
        sut.Thanos.MaxRetries.ShouldBe(3);
        sut.Delivery.Step.ShouldBe(TimeSpan.FromSeconds(300));
        sut.Delivery.ClusterLabel.ShouldBe("clusterID");
        sut.Delivery.RosEnabled.ShouldBeTrue();
        sut.Delivery.Settle.ShouldBe(TimeSpan.FromMinutes(15));
        sut.Delivery.BackfillDays.ShouldBe(7);
        sut.Delivery.KokuRetentionMonths.ShouldBe(4);
        sut.Delivery.MaxParallelClusters.ShouldBe(4);
        sut.Delivery.ObjectKeyPrefix.ShouldBe("thanos-bridge");
        sut.Delivery.MaxPayloadMegabytes.ShouldBe(100);
        sut.Schedule.ShouldBe(new CronSchedule("0 */6 * * *", "0 0 */6 * * ?"));
        sut.ClustersRaw.ShouldBe("c1=org1");
        sut.Clusters.Select(c => (c.ClusterId.Value, c.OrgId)).ShouldBe([("c1", "org1")]);
        sut.Coexistence.Window.ShouldBe(TimeSpan.FromHours(24));
        sut.Coexistence.SwitchedOver.ShouldBeEmpty();
        sut.Confirmation.ShouldBe(new ConfirmationOptions(TimeSpan.FromMinutes(240), 3));
        sut.ConfirmsDelivery.ShouldBeFalse("no koku database, S3 or Kafka");
        sut.DataDirectory.ShouldBe("data");
        sut.OutputDirectory.ShouldBe("out");
        sut.Database.ShouldBeNull();
        sut.S3.ShouldBeNull();
        sut.Kafka.ShouldBeNull();
        sut.DeliversToKoku.ShouldBeFalse();
        sut.HttpPort.ShouldBe(8080);
        sut.MetricsPort.ShouldBe(9090);
        sut.OtlpEndpoint.ShouldBeNull();
        sut.OtlpProtocol.ShouldBe(OtlpExportProtocol.Grpc);
    }

    [Fact]
    public void Load_KokuEnvironment_BuildsDatabaseS3AndKafkaOptions()
    {
        var env = files.Koku();
        env["S3_REGION"] = "onprem";
        env["AWS_CA_BUNDLE"] = files.AwsCa;
        env["THANOS_BRIDGE_PRESIGN_EXPIRY_HOURS"] = "72";
        env["DATABASE_SERVICE_PORT"] = "15432";

        var sut = BridgeSettingsLoader.Load(env);

        sut.Database.ShouldNotBeNull();
        sut.Database.Host.ShouldBe("postgres.koku.svc");
        sut.Database.Port.ShouldBe(15432);
        sut.Database.Database.ShouldBe("koku");
        sut.Database.Username.ShouldBe("koku_user");
        sut.Database.Password.ShouldBe(SettingsEnvironment.DatabasePassword);
        sut.S3.ShouldBe(new ThanosBridge.Adapters.S3.S3Options
        {
            Endpoint = new Uri("https://s3.openshift-storage.svc:443"),
            Region = "onprem",
            AccessKeyId = "AKIAEXAMPLE",
            SecretAccessKey = SettingsEnvironment.AwsSecret,
            CaBundle = files.AwsCa,
            Bucket = "koku-bucket",
            PresignExpiry = TimeSpan.FromHours(72),
        });
        sut.Kafka.ShouldBe(new ThanosBridge.Adapters.Kafka.KafkaOptions
        {
            BootstrapServers = "kafka-0.kafka:9093,kafka-1.kafka:9093",
            SecurityProtocol = "SASL_SSL",
            SaslMechanism = "SCRAM-SHA-512",
            SaslUsername = "bridge",
            SaslPassword = SettingsEnvironment.KafkaPassword,
            SslCaLocation = files.KafkaCa,
        });
        sut.DeliversToKoku.ShouldBeTrue();
        sut.Clusters.ShouldBeEmpty();
        sut.ClustersRaw.ShouldBeNull();
        sut.Thanos.BearerToken.ShouldBe(SettingsEnvironment.ThanosToken);
        sut.Thanos.BaseUrl.ShouldBe(new Uri("https://thanos-query.observability.svc:9091/prefix"));
    }

    [Fact]
    public void Load_EveryOtherVariableSet_ReadsEachValue()
    {
        var env = SettingsEnvironment.Minimal();
        env["THANOS_QUERY_TOKEN_FILE"] = files.TokenFile;
        env["THANOS_QUERY_CA_FILE"] = files.CaFile;
        env["THANOS_BRIDGE_QUERY_TIMEOUT"] = "300";
        env["THANOS_BRIDGE_QUERY_RETRIES"] = "0";
        env["THANOS_BRIDGE_STEP_SECONDS"] = "300";
        env["THANOS_BRIDGE_CLUSTER_LABEL"] = "cluster";
        env["THANOS_BRIDGE_ROS_ENABLED"] = "FALSE";
        env["THANOS_BRIDGE_SETTLE_MINUTES"] = "0";
        env["THANOS_BRIDGE_BACKFILL_DAYS"] = "90";
        env["RETAIN_NUM_MONTHS"] = "120";
        env["THANOS_BRIDGE_SCHEDULE"] = "30 2 * * 1-5";
        env["THANOS_BRIDGE_MAX_PARALLEL_CLUSTERS"] = "64";
        env["THANOS_BRIDGE_CLUSTERS"] = " c1=org1 , c2=org2,c1=org3 ";
        env["THANOS_BRIDGE_CMMO_WINDOW_HOURS"] = "0";
        env["THANOS_BRIDGE_SWITCHED_OVER_CLUSTERS"] = " c1 ,c2,";
        env["THANOS_BRIDGE_DATA_DIR"] = "/var/lib/bridge";
        env["THANOS_BRIDGE_OUTPUT_DIR"] = "/tmp/out";
        env["THANOS_BRIDGE_S3_PREFIX"] = "hub-a/bridge";
        env["THANOS_BRIDGE_MAX_PAYLOAD_MB"] = "1";
        env["THANOS_BRIDGE_CONFIRMATION_THRESHOLD_MINUTES"] = "0";
        env["THANOS_BRIDGE_MAX_REANNOUNCEMENTS"] = "100";
        env["THANOS_BRIDGE_HTTP_PORT"] = "18080";
        env["THANOS_BRIDGE_METRICS_PORT"] = "19090";
        env["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://otel-collector:4318";
        env["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";

        var sut = BridgeSettingsLoader.Load(env);

        sut.Confirmation.ShouldBe(new ConfirmationOptions(TimeSpan.Zero, 100));
        sut.Thanos.BearerTokenFile.ShouldBe(files.TokenFile);
        sut.Thanos.CaFile.ShouldBe(files.CaFile);
        sut.Thanos.QueryTimeout.ShouldBe(TimeSpan.FromSeconds(300));
        sut.Thanos.MaxRetries.ShouldBe(0);
        sut.Delivery.Step.ShouldBe(TimeSpan.FromSeconds(300));
        sut.Delivery.ClusterLabel.ShouldBe("cluster");
        sut.Delivery.RosEnabled.ShouldBeFalse();
        sut.Delivery.Settle.ShouldBe(TimeSpan.Zero);
        sut.Delivery.BackfillDays.ShouldBe(90);
        sut.Delivery.KokuRetentionMonths.ShouldBe(120);
        sut.Schedule.ShouldBe(new CronSchedule("30 2 * * 1-5", "0 30 2 ? * 2-6"));
        sut.Delivery.MaxParallelClusters.ShouldBe(64);
        sut.Clusters.Select(c => (c.ClusterId.Value, c.OrgId)).ShouldBe([("c1", "org1"), ("c2", "org2"), ("c1", "org3")]);
        sut.Coexistence.Window.ShouldBe(TimeSpan.Zero);
        sut.Coexistence.SwitchedOver.Select(c => c.Value).Order(StringComparer.Ordinal).ShouldBe(["c1", "c2"]);
        sut.DataDirectory.ShouldBe("/var/lib/bridge");
        sut.OutputDirectory.ShouldBe("/tmp/out");
        sut.Delivery.ObjectKeyPrefix.ShouldBe("hub-a/bridge");
        sut.Delivery.MaxPayloadMegabytes.ShouldBe(1);
        sut.HttpPort.ShouldBe(18080);
        sut.MetricsPort.ShouldBe(19090);
        sut.OtlpEndpoint.ShouldBe(new Uri("http://otel-collector:4318"));
        sut.OtlpProtocol.ShouldBe(OtlpExportProtocol.HttpProtobuf);
    }

    [Theory]
    [InlineData("THANOS_QUERY_INSECURE_SKIP_VERIFY", "true", true)]
    [InlineData("THANOS_QUERY_INSECURE_SKIP_VERIFY", "1", true)]
    [InlineData("THANOS_QUERY_INSECURE_SKIP_VERIFY", "Yes", true)]
    [InlineData("THANOS_QUERY_INSECURE_SKIP_VERIFY", "no", false)]
    [InlineData("THANOS_QUERY_INSECURE_SKIP_VERIFY", "", false)]
    [InlineData("THANOS_BRIDGE_ROS_ENABLED", "0", false)]
    [InlineData("THANOS_BRIDGE_ROS_ENABLED", "  ", true)]
    public void Load_BooleanSpelling_IsAccepted(string variable, string value, bool expected)
    {
        var env = SettingsEnvironment.Minimal();
        env[variable] = value;

        var sut = BridgeSettingsLoader.Load(env);

        (variable == "THANOS_BRIDGE_ROS_ENABLED" ? sut.Delivery.RosEnabled : sut.Thanos.InsecureSkipVerify).ShouldBe(expected);
    }

    [Theory]
    [InlineData("THANOS_QUERY_URL", "ftp://thanos", "THANOS_QUERY_URL: \"ftp://thanos\" is not an absolute http or https URL")]
    [InlineData("THANOS_QUERY_URL", "thanos-query:9090", "THANOS_QUERY_URL: \"thanos-query:9090\" is not an absolute http or https URL")]
    [InlineData("THANOS_QUERY_URL", "/api", "THANOS_QUERY_URL: \"/api\" is not an absolute http or https URL")]
    [InlineData("THANOS_QUERY_URL", "http://user:pw@thanos:9090/?a=1", "THANOS_QUERY_URL: \"http://<redacted>@thanos:9090/?a=1\" has a query or fragment; give the base URL only")]
    [InlineData("THANOS_QUERY_TOKEN_FILE", "{MISSING}", "THANOS_QUERY_TOKEN_FILE: \"{MISSING}\" does not exist or is not a file")]
    [InlineData("THANOS_QUERY_CA_FILE", "{MISSING}", "THANOS_QUERY_CA_FILE: \"{MISSING}\" does not exist or is not a file")]
    [InlineData("THANOS_QUERY_INSECURE_SKIP_VERIFY", "maybe", "THANOS_QUERY_INSECURE_SKIP_VERIFY: \"maybe\" is not a boolean (true or false)")]
    [InlineData("THANOS_BRIDGE_QUERY_TIMEOUT", "9", "THANOS_BRIDGE_QUERY_TIMEOUT: 9 is not between 10 and 600")]
    [InlineData("THANOS_BRIDGE_QUERY_TIMEOUT", "601", "THANOS_BRIDGE_QUERY_TIMEOUT: 601 is not between 10 and 600")]
    [InlineData("THANOS_BRIDGE_QUERY_TIMEOUT", "2m", "THANOS_BRIDGE_QUERY_TIMEOUT: \"2m\" is not an integer")]
    [InlineData("THANOS_BRIDGE_QUERY_RETRIES", "-1", "THANOS_BRIDGE_QUERY_RETRIES: -1 is not between 0 and 10")]
    [InlineData("THANOS_BRIDGE_QUERY_RETRIES", "11", "THANOS_BRIDGE_QUERY_RETRIES: 11 is not between 0 and 10")]
    [InlineData("THANOS_BRIDGE_SAMPLE_SOURCE", "federate", "THANOS_BRIDGE_SAMPLE_SOURCE: \"federate\" is not one of metrics-collector, mcoa, prometheus")]
    [InlineData("THANOS_BRIDGE_COLLECTOR_INTERVAL_SECONDS", "5", "THANOS_BRIDGE_COLLECTOR_INTERVAL_SECONDS: 5 is not between 10 and 3600")]
    [InlineData("THANOS_BRIDGE_MAX_PARALLEL_QUERIES", "0", "THANOS_BRIDGE_MAX_PARALLEL_QUERIES: 0 is not between 1 and 16")]
    [InlineData("THANOS_BRIDGE_STEP_SECONDS", "7", "THANOS_BRIDGE_STEP_SECONDS: 7 does not divide 3600")]
    [InlineData("THANOS_BRIDGE_STEP_SECONDS", "7200", "THANOS_BRIDGE_STEP_SECONDS: 7200 does not divide 3600")]
    [InlineData("THANOS_BRIDGE_STEP_SECONDS", "5", "THANOS_BRIDGE_STEP_SECONDS: 5 is not between 10 and 3600")]
    [InlineData("THANOS_BRIDGE_STEP_SECONDS", "0", "THANOS_BRIDGE_STEP_SECONDS: 0 is not between 10 and 3600")]
    [InlineData("THANOS_BRIDGE_STEP_SECONDS", "1.5", "THANOS_BRIDGE_STEP_SECONDS: \"1.5\" is not an integer")]
    [InlineData("THANOS_BRIDGE_CLUSTER_LABEL", "cluster-id", "THANOS_BRIDGE_CLUSTER_LABEL: \"cluster-id\" is not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)")]
    [InlineData("THANOS_BRIDGE_CLUSTER_LABEL", "1cluster", "THANOS_BRIDGE_CLUSTER_LABEL: \"1cluster\" is not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)")]
    [InlineData("THANOS_BRIDGE_CLUSTER_LABEL", "__cluster", "THANOS_BRIDGE_CLUSTER_LABEL: \"__cluster\" is reserved: label names starting with __ are internal to Prometheus")]
    [InlineData("THANOS_BRIDGE_ROS_ENABLED", "on", "THANOS_BRIDGE_ROS_ENABLED: \"on\" is not a boolean (true or false)")]
    [InlineData("THANOS_BRIDGE_SETTLE_MINUTES", "-1", "THANOS_BRIDGE_SETTLE_MINUTES: -1 is not between 0 and 1440")]
    [InlineData("THANOS_BRIDGE_SETTLE_MINUTES", "1441", "THANOS_BRIDGE_SETTLE_MINUTES: 1441 is not between 0 and 1440")]
    [InlineData("THANOS_BRIDGE_BACKFILL_DAYS", "91", "THANOS_BRIDGE_BACKFILL_DAYS: 91 is not between 0 and 90")]
    [InlineData("THANOS_BRIDGE_BACKFILL_DAYS", "-1", "THANOS_BRIDGE_BACKFILL_DAYS: -1 is not between 0 and 90")]
    [InlineData("RETAIN_NUM_MONTHS", "0", "RETAIN_NUM_MONTHS: 0 is not between 1 and 120")]
    [InlineData("RETAIN_NUM_MONTHS", "121", "RETAIN_NUM_MONTHS: 121 is not between 1 and 120")]
    [InlineData("THANOS_BRIDGE_PRESIGN_EXPIRY_HOURS", "0", "THANOS_BRIDGE_PRESIGN_EXPIRY_HOURS: 0 is not between 1 and 168")]
    [InlineData("THANOS_BRIDGE_PRESIGN_EXPIRY_HOURS", "169", "THANOS_BRIDGE_PRESIGN_EXPIRY_HOURS: 169 is not between 1 and 168")]
    [InlineData("THANOS_BRIDGE_SCHEDULE", "0 */6 * *", "THANOS_BRIDGE_SCHEDULE: \"0 */6 * *\" is not a 5-field Unix cron expression: it has 4 fields, not 5 (minute hour day-of-month month day-of-week)")]
    [InlineData("THANOS_BRIDGE_SCHEDULE", "0 0 0 */6 * ?", "THANOS_BRIDGE_SCHEDULE: \"0 0 0 */6 * ?\" is not a 5-field Unix cron expression: it has 6 fields, not 5 (minute hour day-of-month month day-of-week)")]
    [InlineData("THANOS_BRIDGE_SCHEDULE", "0 24 * * *", "THANOS_BRIDGE_SCHEDULE: \"0 24 * * *\" is not a 5-field Unix cron expression: hour 24 is not between 0 and 23")]
    [InlineData("THANOS_BRIDGE_MAX_PARALLEL_CLUSTERS", "0", "THANOS_BRIDGE_MAX_PARALLEL_CLUSTERS: 0 is not between 1 and 64")]
    [InlineData("THANOS_BRIDGE_MAX_PARALLEL_CLUSTERS", "65", "THANOS_BRIDGE_MAX_PARALLEL_CLUSTERS: 65 is not between 1 and 64")]
    [InlineData("THANOS_BRIDGE_CLUSTERS", "c1", "THANOS_BRIDGE_CLUSTERS: entry \"c1\" is not id=org (list clusters as id=org[,id=org...])")]
    [InlineData("THANOS_BRIDGE_CLUSTERS", "c1=org1,", "THANOS_BRIDGE_CLUSTERS: entry \"\" is not id=org (list clusters as id=org[,id=org...])")]
    [InlineData("THANOS_BRIDGE_CLUSTERS", "c1=", "THANOS_BRIDGE_CLUSTERS: entry \"c1=\" is not id=org (list clusters as id=org[,id=org...])")]
    [InlineData("THANOS_BRIDGE_CLUSTERS", "c 1=org1", "THANOS_BRIDGE_CLUSTERS: cluster id \"c 1\" is invalid: it contains U+0020 at index 1; only A-Z, a-z, 0-9, '.', '_', ':' and '-' are allowed")]
    [InlineData("THANOS_BRIDGE_CLUSTERS", "c\"1=org1", "THANOS_BRIDGE_CLUSTERS: cluster id \"c\\\"1\" is invalid: it contains '\"' (U+0022) at index 1; only A-Z, a-z, 0-9, '.', '_', ':' and '-' are allowed")]
    [InlineData("THANOS_BRIDGE_CLUSTERS", "c1=org/1", "THANOS_BRIDGE_CLUSTERS: org id \"org/1\" of cluster c1 is invalid: 1-64 characters from A-Z, a-z, 0-9, '.', '_' and '-'")]
    [InlineData("THANOS_BRIDGE_CLUSTERS", "c1=org1,c1=org1", "THANOS_BRIDGE_CLUSTERS: entry \"c1=org1\" is listed twice")]
    [InlineData("THANOS_BRIDGE_CMMO_WINDOW_HOURS", "721", "THANOS_BRIDGE_CMMO_WINDOW_HOURS: 721 is not between 0 and 720")]
    [InlineData("THANOS_BRIDGE_SWITCHED_OVER_CLUSTERS", "c1, a/b", "THANOS_BRIDGE_SWITCHED_OVER_CLUSTERS: cluster id \"a/b\" is invalid: it contains '/' (U+002F) at index 1; only A-Z, a-z, 0-9, '.', '_', ':' and '-' are allowed")]
    [InlineData("THANOS_BRIDGE_S3_PREFIX", "/bridge", "THANOS_BRIDGE_S3_PREFIX: \"/bridge\" is not a key prefix: segments of A-Z, a-z, 0-9, '.', '_' and '-' separated by single '/', no '/' at either end")]
    [InlineData("THANOS_BRIDGE_S3_PREFIX", "a//b", "THANOS_BRIDGE_S3_PREFIX: \"a//b\" is not a key prefix: segments of A-Z, a-z, 0-9, '.', '_' and '-' separated by single '/', no '/' at either end")]
    [InlineData("THANOS_BRIDGE_MAX_PAYLOAD_MB", "0", "THANOS_BRIDGE_MAX_PAYLOAD_MB: 0 is not between 1 and 100")]
    [InlineData("THANOS_BRIDGE_MAX_PAYLOAD_MB", "101", "THANOS_BRIDGE_MAX_PAYLOAD_MB: 101 is not between 1 and 100")]
    [InlineData("THANOS_BRIDGE_CONFIRMATION_THRESHOLD_MINUTES", "-1", "THANOS_BRIDGE_CONFIRMATION_THRESHOLD_MINUTES: -1 is not between 0 and 10080")]
    [InlineData("THANOS_BRIDGE_CONFIRMATION_THRESHOLD_MINUTES", "10081", "THANOS_BRIDGE_CONFIRMATION_THRESHOLD_MINUTES: 10081 is not between 0 and 10080")]
    [InlineData("THANOS_BRIDGE_MAX_REANNOUNCEMENTS", "101", "THANOS_BRIDGE_MAX_REANNOUNCEMENTS: 101 is not between 0 and 100")]
    [InlineData("THANOS_BRIDGE_HTTP_PORT", "0", "THANOS_BRIDGE_HTTP_PORT: 0 is not between 1 and 65535")]
    [InlineData("THANOS_BRIDGE_METRICS_PORT", "65536", "THANOS_BRIDGE_METRICS_PORT: 65536 is not between 1 and 65535")]
    [InlineData("THANOS_BRIDGE_METRICS_PORT", "8080", "THANOS_BRIDGE_METRICS_PORT: 8080 is also THANOS_BRIDGE_HTTP_PORT; health and metrics are served on separate ports")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "otel-collector:4317", "OTEL_EXPORTER_OTLP_ENDPOINT: \"otel-collector:4317\" is not an absolute http or https URL")]
    [InlineData("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json", "OTEL_EXPORTER_OTLP_PROTOCOL: \"http/json\" is not one of grpc, http/protobuf")]
    public void Load_BadValueWithoutDatabase_ThrowsOneLineMessage(string variable, string value, string expected) =>
        AssertSingleProblem(SettingsEnvironment.Minimal(), variable, value, expected);

    [Theory]
    [InlineData("DATABASE_SERVICE_PORT", "postgres", "DATABASE_SERVICE_PORT: \"postgres\" is not an integer")]
    [InlineData("DATABASE_SERVICE_PORT", "0", "DATABASE_SERVICE_PORT: 0 is not between 1 and 65535")]
    [InlineData("KAFKA_BOOTSTRAP_SERVERS", "kafka", "KAFKA_BOOTSTRAP_SERVERS: \"kafka\" is not host:port[,host:port...]")]
    [InlineData("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092;kafka2:9092", "KAFKA_BOOTSTRAP_SERVERS: \"kafka:9092;kafka2:9092\" is not host:port[,host:port...]")]
    [InlineData("KAFKA_SECURITY_PROTOCOL", "TLS", "KAFKA_SECURITY_PROTOCOL: \"TLS\" is not one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL")]
    [InlineData("KAFKA_SECURITY_PROTOCOL", "SSL", "KAFKA_SECURITY_PROTOCOL: \"SSL\" does not use SASL, but KAFKA_SASL_MECHANISM is SCRAM-SHA-512; use SASL_SSL or SASL_PLAINTEXT")]
    [InlineData("KAFKA_SASL_MECHANISM", "GSSAPI", "KAFKA_SASL_MECHANISM: \"GSSAPI\" is not one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512")]
    [InlineData("KAFKA_SASL_USERNAME", "", "KAFKA_SASL_USERNAME: not set, but KAFKA_SASL_MECHANISM is")]
    [InlineData("KAFKA_SASL_PASSWORD", "", "KAFKA_SASL_PASSWORD: not set, but KAFKA_SASL_MECHANISM is")]
    [InlineData("KAFKA_SSL_CA_LOCATION", "{MISSING}", "KAFKA_SSL_CA_LOCATION: \"{MISSING}\" does not exist or is not a file")]
    [InlineData("S3_ENDPOINT", "ftp://s3", "S3_ENDPOINT: \"ftp://s3\" is not an absolute http or https URL")]
    [InlineData("S3_REGION", "us east", "S3_REGION: \"us east\" is not a region name (A-Z, a-z, 0-9, '-' and '_')")]
    [InlineData("AWS_ACCESS_KEY_ID", "", "AWS_ACCESS_KEY_ID: not set, but S3_ENDPOINT is")]
    [InlineData("AWS_SECRET_ACCESS_KEY", "", "AWS_SECRET_ACCESS_KEY: not set, but S3_ENDPOINT is")]
    [InlineData("AWS_CA_BUNDLE", "{MISSING}", "AWS_CA_BUNDLE: \"{MISSING}\" does not exist or is not a file")]
    [InlineData("THANOS_BRIDGE_S3_BUCKET", "", "THANOS_BRIDGE_S3_BUCKET: not set, but S3_ENDPOINT is")]
    [InlineData("THANOS_BRIDGE_S3_BUCKET", "Koku_Bucket", "THANOS_BRIDGE_S3_BUCKET: \"Koku_Bucket\" is not an S3 bucket name (3-63 characters: lowercase letters, digits, '.' and '-', starting and ending with a letter or digit)")]
    [InlineData("THANOS_BRIDGE_S3_BUCKET", "kb", "THANOS_BRIDGE_S3_BUCKET: \"kb\" is not an S3 bucket name (3-63 characters: lowercase letters, digits, '.' and '-', starting and ending with a letter or digit)")]
    [InlineData("THANOS_BRIDGE_CLUSTERS", "c1=org1", "THANOS_BRIDGE_CLUSTERS: \"c1=org1\" is set together with DATABASE_SERVICE_HOST; clusters are then discovered from koku's database and the list would be ignored")]
    [InlineData("DATABASE_NAME", "", "DATABASE_NAME: not set, but DATABASE_SERVICE_HOST is")]
    [InlineData("DATABASE_USER", "", "DATABASE_USER: not set, but DATABASE_SERVICE_HOST is")]
    [InlineData("DATABASE_PASSWORD", "", "DATABASE_PASSWORD: not set, but DATABASE_SERVICE_HOST is")]
    public void Load_BadValueWithKoku_ThrowsOneLineMessage(string variable, string value, string expected) =>
        AssertSingleProblem(files.Koku(), variable, value, expected);

    [Fact]
    public void Load_ThanosUrlMissing_SaysItIsRequired()
    {
        var env = SettingsEnvironment.Minimal();
        env.Remove("THANOS_QUERY_URL");

        Fails(env).Message.ShouldBe(
            "THANOS_QUERY_URL: not set; required (the Thanos Query URL, e.g. https://thanos-query.open-cluster-management-observability.svc:9090)");
    }

    [Fact]
    public void Load_TokenAndTokenFile_RejectsTokenWithoutShowingIt()
    {
        var env = SettingsEnvironment.Minimal();
        env["THANOS_QUERY_TOKEN"] = SettingsEnvironment.ThanosToken;
        env["THANOS_QUERY_TOKEN_FILE"] = files.TokenFile;

        var e = Fails(env);

        e.Message.ShouldBe($"THANOS_QUERY_TOKEN: <redacted> is set together with THANOS_QUERY_TOKEN_FILE=\"{files.TokenFile}\"; set one");
    }

    [Fact]
    public void Load_CaFileWithInsecureSkipVerify_RejectsInsecure()
    {
        var env = SettingsEnvironment.Minimal();
        env["THANOS_QUERY_CA_FILE"] = files.CaFile;
        env["THANOS_QUERY_INSECURE_SKIP_VERIFY"] = "true";

        Fails(env).Message.ShouldBe(
            $"THANOS_QUERY_INSECURE_SKIP_VERIFY: true is set together with THANOS_QUERY_CA_FILE=\"{files.CaFile}\"; the CA would be ignored: set one");
    }

    [Fact]
    public void Load_NoDatabaseAndNoClusters_RequiresClusters()
    {
        var env = SettingsEnvironment.Minimal();
        env.Remove("THANOS_BRIDGE_CLUSTERS");

        Fails(env).Message.ShouldBe(
            "THANOS_BRIDGE_CLUSTERS: not set and no database is configured (DATABASE_SERVICE_HOST); list the clusters as id=org[,id=org...]");
    }

    [Fact]
    public void Load_DatabaseHostOnly_RequiresEveryOtherDatabaseVariable()
    {
        var env = SettingsEnvironment.Minimal();
        env.Remove("THANOS_BRIDGE_CLUSTERS");
        env["DATABASE_SERVICE_HOST"] = "postgres";

        Fails(env).AllProblems.Select(p => p.Message).ShouldBe([
            "DATABASE_NAME: not set, but DATABASE_SERVICE_HOST is",
            "DATABASE_USER: not set, but DATABASE_SERVICE_HOST is",
            "DATABASE_PASSWORD: not set, but DATABASE_SERVICE_HOST is",
        ]);
    }

    [Fact]
    public void Load_DatabaseVariablesWithoutHost_RequiresHost()
    {
        var env = SettingsEnvironment.Minimal();
        env["DATABASE_NAME"] = "koku";
        env["DATABASE_PASSWORD"] = SettingsEnvironment.DatabasePassword;

        var e = Fails(env);

        e.Message.ShouldBe(
            "DATABASE_SERVICE_HOST: not set, but DATABASE_NAME and DATABASE_PASSWORD are; set all of DATABASE_SERVICE_HOST, DATABASE_NAME, DATABASE_USER and DATABASE_PASSWORD, or none");
        e.AllProblems.Count.ShouldBe(1);
    }

    [Fact]
    public void Load_S3WithoutKafka_RequiresKafka()
    {
        var env = files.Koku();
        foreach (var kafka in env.Keys.Where(k => k.StartsWith("KAFKA_", StringComparison.Ordinal)).ToList())
        {
            env.Remove(kafka);
        }

        Fails(env).Message.ShouldBe(
            "KAFKA_BOOTSTRAP_SERVERS: not set, but S3_ENDPOINT is; S3 and Kafka deliver together: configure both, or neither to write payloads to THANOS_BRIDGE_OUTPUT_DIR");
    }

    [Fact]
    public void Load_KafkaWithoutS3_RequiresS3()
    {
        var env = files.Koku();
        foreach (var s3 in new[] { "S3_ENDPOINT", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "THANOS_BRIDGE_S3_BUCKET" })
        {
            env.Remove(s3);
        }

        Fails(env).Message.ShouldBe(
            "S3_ENDPOINT: not set, but KAFKA_BOOTSTRAP_SERVERS is; S3 and Kafka deliver together: configure both, or neither to write payloads to THANOS_BRIDGE_OUTPUT_DIR");
    }

    [Fact]
    public void Load_AwsVariablesWithoutEndpoint_AreIgnored()
    {
        // AWS_* are standard variables that machines often set globally (this project's own machines set
        // AWS_CA_BUNDLE): without S3_ENDPOINT they do not mean that S3 delivery was asked for.
        var env = SettingsEnvironment.Minimal();
        env["AWS_ACCESS_KEY_ID"] = "AKIAEXAMPLE";
        env["AWS_SECRET_ACCESS_KEY"] = SettingsEnvironment.AwsSecret;
        env["AWS_CA_BUNDLE"] = "/nonexistent/ca.pem";

        BridgeSettingsLoader.Load(env).S3.ShouldBeNull();
    }

    [Fact]
    public void Load_BucketWithoutEndpoint_RequiresEndpoint()
    {
        var env = SettingsEnvironment.Minimal();
        env["THANOS_BRIDGE_S3_BUCKET"] = "payloads";

        var e = Fails(env);

        e.Message.ShouldBe(
            "S3_ENDPOINT: not set, but THANOS_BRIDGE_S3_BUCKET is; set S3_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and THANOS_BRIDGE_S3_BUCKET, or none");
        e.AllProblems.Count.ShouldBe(1);
    }

    [Fact]
    public void Load_KafkaSettingsWithoutServers_RequiresServers()
    {
        var env = SettingsEnvironment.Minimal();
        env["KAFKA_SASL_MECHANISM"] = "PLAIN";

        Fails(env).Message.ShouldBe(
            "KAFKA_BOOTSTRAP_SERVERS: not set, but KAFKA_SASL_MECHANISM is; set KAFKA_BOOTSTRAP_SERVERS (or INSIGHTS_KAFKA_HOST and INSIGHTS_KAFKA_PORT)");
    }

    [Fact]
    public void Load_SaslCredentialsWithoutMechanism_RejectsThemWithoutShowingPassword()
    {
        var env = files.Koku();
        env.Remove("KAFKA_SASL_MECHANISM");
        env["KAFKA_SECURITY_PROTOCOL"] = "SSL";

        var e = Fails(env);

        e.Message.ShouldBe(
            "KAFKA_SASL_MECHANISM: not set, but KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD are; without a mechanism the credentials would be ignored");
        e.AllProblems.Count.ShouldBe(1);
    }

    [Fact]
    public void Load_SaslProtocolWithoutMechanism_RequiresMechanism()
    {
        var env = files.Koku();
        env.Remove("KAFKA_SASL_MECHANISM");
        env.Remove("KAFKA_SASL_USERNAME");
        env.Remove("KAFKA_SASL_PASSWORD");

        Fails(env).Message.ShouldBe("KAFKA_SASL_MECHANISM: not set, but KAFKA_SECURITY_PROTOCOL is SASL_SSL");
    }

    [Fact]
    public void Load_CaLocationWithoutTls_RejectsCaLocation()
    {
        var env = files.Koku();
        env["KAFKA_SECURITY_PROTOCOL"] = "SASL_PLAINTEXT";

        Fails(env).Message.ShouldBe(
            $"KAFKA_SSL_CA_LOCATION: \"{files.KafkaCa}\" is set, but KAFKA_SECURITY_PROTOCOL is SASL_PLAINTEXT, which does not use TLS");
    }

    [Fact]
    public void Load_SecurityProtocolUnset_DefaultsToSaslSslWithMechanismElsePlaintext()
    {
        var env = files.Koku();
        env.Remove("KAFKA_SECURITY_PROTOCOL");
        BridgeSettingsLoader.Load(env).Kafka!.SecurityProtocol.ShouldBe("SASL_SSL");

        foreach (var sasl in new[] { "KAFKA_SASL_MECHANISM", "KAFKA_SASL_USERNAME", "KAFKA_SASL_PASSWORD", "KAFKA_SSL_CA_LOCATION" })
        {
            env.Remove(sasl);
        }

        BridgeSettingsLoader.Load(env).Kafka!.SecurityProtocol.ShouldBe("PLAINTEXT");
    }

    [Fact]
    public void Load_InsightsKafkaHostAndPort_BuildBootstrapServers()
    {
        var env = files.Koku();
        env.Remove("KAFKA_BOOTSTRAP_SERVERS");
        env["INSIGHTS_KAFKA_HOST"] = "platform-mq-kafka";
        env["INSIGHTS_KAFKA_PORT"] = "29092";

        BridgeSettingsLoader.Load(env).Kafka!.BootstrapServers.ShouldBe("platform-mq-kafka:29092");
    }

    [Fact]
    public void Load_InsightsKafkaHostWithoutPort_RequiresPort()
    {
        var env = files.Koku();
        env.Remove("KAFKA_BOOTSTRAP_SERVERS");
        env["INSIGHTS_KAFKA_HOST"] = "platform-mq-kafka";

        Fails(env).Message.ShouldBe("INSIGHTS_KAFKA_PORT: not set, but INSIGHTS_KAFKA_HOST is");
    }

    [Fact]
    public void Load_InsightsKafkaDifferingFromBootstrapServers_AsksForOne()
    {
        var env = files.Koku();
        env["INSIGHTS_KAFKA_HOST"] = "platform-mq-kafka";
        env["INSIGHTS_KAFKA_PORT"] = "29092";

        Fails(env).Message.ShouldBe(
            "INSIGHTS_KAFKA_HOST: \"platform-mq-kafka:29092\" (with INSIGHTS_KAFKA_PORT) differs from KAFKA_BOOTSTRAP_SERVERS=\"kafka-0.kafka:9093,kafka-1.kafka:9093\"; set one");
    }

    [Fact]
    public void Load_S3EndpointWithScheme_KeepsIt()
    {
        var env = files.Koku();
        env["S3_ENDPOINT"] = "http://127.0.0.1:24569";

        BridgeSettingsLoader.Load(env).S3!.Endpoint.ShouldBe(new Uri("http://127.0.0.1:24569"));
    }

    [Fact]
    public void Load_SeveralProblems_ListsEachOnOneLineInDocumentationOrder()
    {
        var env = SettingsEnvironment.Minimal();
        env["THANOS_BRIDGE_STEP_SECONDS"] = "7";
        env["THANOS_QUERY_URL"] = "nope";
        env["THANOS_BRIDGE_MAX_PAYLOAD_MB"] = "200";
        env["THANOS_BRIDGE_CLUSTER_LABEL"] = "a\nb";

        var e = Fails(env);

        e.AllProblems.Select(p => p.Variable).ShouldBe(
            ["THANOS_QUERY_URL", "THANOS_BRIDGE_STEP_SECONDS", "THANOS_BRIDGE_CLUSTER_LABEL", "THANOS_BRIDGE_MAX_PAYLOAD_MB"]);
        e.ShouldBeSameAs(e.AllProblems[0]);
        e.AllProblems.ShouldAllBe(p => !p.Message.Contains('\n') && !p.Message.Contains('\r'));
        e.AllProblems[2].Message.ShouldBe("THANOS_BRIDGE_CLUSTER_LABEL: \"a\\nb\" is not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)");
    }

    [Theory]
    [InlineData(null, null, "metrics-collector", 300, 300)]
    [InlineData("MCOA", "120", "mcoa", 120, 120)]
    [InlineData("prometheus", null, "prometheus", 300, 60)]
    [InlineData("metrics-collector", "45", "metrics-collector", 45, 60)]
    [InlineData("metrics-collector", "420", "metrics-collector", 420, 60)]
    public void Load_SampleSource_SetsTheSamplingAndTheDefaultStep(string? source, string? interval, string expectedSource, int expectedInterval, int expectedStep)
    {
        var env = SettingsEnvironment.Minimal();
        if (source is not null)
        {
            env["THANOS_BRIDGE_SAMPLE_SOURCE"] = source;
        }

        if (interval is not null)
        {
            env["THANOS_BRIDGE_COLLECTOR_INTERVAL_SECONDS"] = interval;
        }

        var sut = BridgeSettingsLoader.Load(env);

        ThanosBridge.Core.Collection.Sampling.Name(sut.Delivery.Sampling.Source).ShouldBe(expectedSource);
        sut.Delivery.Sampling.Interval.ShouldBe(TimeSpan.FromSeconds(expectedInterval));
        sut.Delivery.Step.ShouldBe(TimeSpan.FromSeconds(expectedStep), "one evaluation per forwarded sample where the interval allows, else CMMO's minute");
    }

    [Fact]
    public void Load_EmptyValues_CountAsUnset()
    {
        var env = SettingsEnvironment.Minimal();
        env["THANOS_BRIDGE_STEP_SECONDS"] = "";
        env["THANOS_QUERY_TOKEN"] = "   ";
        env["DATABASE_SERVICE_HOST"] = "";

        var sut = BridgeSettingsLoader.Load(env);

        sut.Delivery.Step.ShouldBe(TimeSpan.FromSeconds(300));
        sut.Thanos.BearerToken.ShouldBeNull();
        sut.Database.ShouldBeNull();
    }

    [Fact]
    public void Load_FromConfiguration_ReadsVariableNamesAsKeys()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["THANOS_QUERY_URL"] = "http://thanos:9090",
                ["THANOS_BRIDGE_CLUSTERS"] = "c1=org1",
                ["THANOS_BRIDGE_STEP_SECONDS"] = "120",
            })
            .Build();

        var sut = BridgeSettingsLoader.Load(configuration);

        sut.Delivery.Step.ShouldBe(TimeSpan.FromSeconds(120));
    }

    [Fact]
    public void Describe_KokuEnvironment_RedactsEverySecretAndMarksDefaults()
    {
        var env = files.Koku();
        env["THANOS_QUERY_URL"] = "https://bridge:hunter2@thanos-query:9091";
        env["THANOS_BRIDGE_SCHEDULE"] = "15 */2 * * *";

        var lines = BridgeSettingsLoader.Load(env).Describe();

        lines.Select(l => l[..l.IndexOf('=', StringComparison.Ordinal)]).ShouldBe(BridgeVariables.All);
        lines.ShouldContain("THANOS_QUERY_URL=https://<redacted>@thanos-query:9091/");
        lines.ShouldContain("THANOS_QUERY_TOKEN=<redacted>");
        lines.ShouldContain("DATABASE_PASSWORD=<redacted>");
        lines.ShouldContain("AWS_SECRET_ACCESS_KEY=<redacted>");
        lines.ShouldContain("KAFKA_SASL_PASSWORD=<redacted>");
        lines.ShouldContain("THANOS_QUERY_TOKEN_FILE= (unset)");
        lines.ShouldContain("THANOS_BRIDGE_STEP_SECONDS=300 (default)");
        lines.ShouldContain("THANOS_QUERY_INSECURE_SKIP_VERIFY=false (default)");
        lines.ShouldContain("DATABASE_SERVICE_PORT=5432 (default)");
        lines.ShouldContain("S3_ENDPOINT=https://s3.openshift-storage.svc/");
        lines.ShouldContain("S3_REGION=us-east-1 (default)");
        lines.ShouldContain("THANOS_BRIDGE_SCHEDULE=15 */2 * * * (Quartz: 0 15 */2 * * ?)");
        lines.ShouldContain("KAFKA_SECURITY_PROTOCOL=SASL_SSL");
        lines.ShouldContain("DATABASE_USER=koku_user");
        lines.ShouldContain("OTEL_EXPORTER_OTLP_PROTOCOL=grpc (default)");
        var all = string.Join("\n", lines);
        foreach (var secret in new[] { SettingsEnvironment.ThanosToken, SettingsEnvironment.DatabasePassword, SettingsEnvironment.AwsSecret, SettingsEnvironment.KafkaPassword, "hunter2" })
        {
            all.ShouldNotContain(secret);
        }
    }

    [Fact]
    public void Describe_MinimalEnvironment_MarksScheduleAndSecurityProtocolAsDefaults()
    {
        var lines = BridgeSettingsLoader.Load(SettingsEnvironment.Minimal()).Describe();

        lines.ShouldContain("THANOS_BRIDGE_SCHEDULE=0 */6 * * * (default)");
        lines.ShouldContain("THANOS_BRIDGE_CLUSTERS=c1=org1");
        lines.ShouldContain("KAFKA_SECURITY_PROTOCOL= (unset)");
        lines.ShouldContain("THANOS_BRIDGE_DATA_DIR=data (default)");
        lines.ShouldContain("THANOS_BRIDGE_HTTP_PORT=8080 (default)");
        lines.Count.ShouldBe(BridgeVariables.All.Count);
    }

    [Fact]
    public void ProblemMessages_SecretValues_AreNeverShown()
    {
        // Each secret set alone (so that it is "set, but" the group is incomplete), and with a bad neighbour.
        foreach (var (variable, secret) in new[]
        {
            ("DATABASE_PASSWORD", SettingsEnvironment.DatabasePassword),
            ("AWS_SECRET_ACCESS_KEY", SettingsEnvironment.AwsSecret),
            ("KAFKA_SASL_PASSWORD", SettingsEnvironment.KafkaPassword),
        })
        {
            var env = SettingsEnvironment.Minimal();
            env[variable] = secret;
            env["THANOS_BRIDGE_S3_BUCKET"] = "payloads"; // so that an S3 secret alone also leaves a group incomplete

            var e = Fails(env);

            e.AllProblems.ShouldAllBe(p => !p.Message.Contains(secret));
        }
    }

    private void AssertSingleProblem(Dictionary<string, string?> env, string variable, string value, string expected)
    {
        env[variable] = value.Replace("{MISSING}", files.Missing, StringComparison.Ordinal);

        var e = Fails(env);

        e.Message.ShouldBe(expected.Replace("{MISSING}", files.Missing, StringComparison.Ordinal));
        e.Variable.ShouldBe(variable);
        e.AllProblems.Select(p => p.Message).ShouldBe([e.Message]);
    }

    private static ConfigurationException Fails(Dictionary<string, string?> env) =>
        Should.Throw<ConfigurationException>(() => BridgeSettingsLoader.Load(env));
}
