using System.Collections;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using OpenTelemetry.Exporter;
using ThanosBridge.Adapters.Kafka;
using ThanosBridge.Adapters.Koku;
using ThanosBridge.Adapters.S3;
using ThanosBridge.Adapters.Thanos;
using ThanosBridge.Core.Collection;
using ThanosBridge.Core.Delivery;
using ThanosBridge.Core.Promql;
using V = ThanosBridge.Configuration.BridgeVariables;

namespace ThanosBridge.Configuration;

/// <summary>
/// Reads and validates every variable of docs/configuration.md. All problems are collected; the first is thrown as a
/// <see cref="ConfigurationException"/> whose <see cref="ConfigurationException.AllProblems"/> lists them all.
/// </summary>
public static partial class BridgeSettingsLoader
{
    private static readonly string[] SecurityProtocols = ["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"];
    private static readonly string[] SaslMechanisms = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"];
    private static readonly string[] OtlpProtocols = ["grpc", "http/protobuf"];

    /// <summary>Loads from the process environment.</summary>
    /// <exception cref="ConfigurationException">The first problem; <see cref="ConfigurationException.AllProblems"/> has all.</exception>
    public static BridgeSettings FromEnvironment() => Load(ProcessEnvironment());

    /// <summary>Loads from configuration whose keys are the variable names (e.g. built with AddEnvironmentVariables).</summary>
    /// <exception cref="ConfigurationException">The first problem; <see cref="ConfigurationException.AllProblems"/> has all.</exception>
    public static BridgeSettings Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Load(V.All.ToDictionary(n => n, n => configuration[n], StringComparer.Ordinal));
    }

    /// <summary>Loads from <paramref name="environment"/> (variable name to value; missing, empty or blank = unset).</summary>
    /// <exception cref="ConfigurationException">The first problem; <see cref="ConfigurationException.AllProblems"/> has all.</exception>
    public static BridgeSettings Load(IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var reader = new VariableReader(environment);

        var thanos = ReadThanos(reader);
        var delivery = ReadDelivery(reader, out var schedule, out var presignExpiry);
        var clustersRaw = reader.Text(V.Clusters);
        var clusters = ParseClusters(reader, clustersRaw);
        var dataDir = reader.Text(V.DataDir, "data");
        var outputDir = reader.Text(V.OutputDir, "out");
        var database = ReadDatabase(reader);
        var kafka = ReadKafka(reader);
        var s3 = ReadS3(reader, presignExpiry);
        CheckDeliveryGroups(reader, clustersRaw);
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

        if (reader.Problems.Count > 0)
        {
            var first = reader.Problems[0];
            first.AllProblems = reader.Problems;
            throw first;
        }

        return new BridgeSettings(reader.Described)
        {
            Thanos = thanos,
            Delivery = delivery,
            Database = database,
            S3 = s3,
            Kafka = kafka,
            ClustersRaw = clustersRaw,
            Clusters = clusters,
            DataDirectory = dataDir,
            OutputDirectory = outputDir,
            Schedule = schedule!,
            HttpPort = httpPort,
            MetricsPort = metricsPort,
            OtlpEndpoint = otlpEndpoint,
            OtlpProtocol = otlpProtocolName == "http/protobuf" ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc,
        };
    }

    /// <summary>The process environment as a dictionary.</summary>
    public static IReadOnlyDictionary<string, string?> ProcessEnvironment()
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            result[(string)entry.Key] = entry.Value as string;
        }

        return result;
    }

    private static ThanosClientOptions ReadThanos(VariableReader reader)
    {
        var url = reader.HttpUrl(V.ThanosQueryUrl);
        if (url is null && !reader.IsSet(V.ThanosQueryUrl))
        {
            reader.Fail(V.ThanosQueryUrl, "not set; required (the Thanos Query URL, e.g. https://thanos-query.open-cluster-management-observability.svc:9090)");
        }

        var tokenFile = reader.ExistingFile(V.ThanosQueryTokenFile);
        var token = reader.Text(V.ThanosQueryToken);
        if (token is not null && tokenFile is not null)
        {
            reader.Fail(V.ThanosQueryToken,
                $"{BridgeVariables.Redacted} is set together with THANOS_QUERY_TOKEN_FILE={VariableReader.Quote(tokenFile)}; set one");
        }

        var caFile = reader.ExistingFile(V.ThanosQueryCaFile);
        var insecure = reader.Bool(V.ThanosQueryInsecureSkipVerify, defaultValue: false);
        if (insecure && caFile is not null)
        {
            reader.Fail(V.ThanosQueryInsecureSkipVerify,
                $"true is set together with THANOS_QUERY_CA_FILE={VariableReader.Quote(caFile)}; the CA would be ignored: set one");
        }

        var timeout = reader.Int(V.QueryTimeout, 120, 10, 600);
        var retries = reader.Int(V.QueryRetries, 3, 0, 10);
        return new ThanosClientOptions
        {
            BaseUrl = url,
            BearerToken = token,
            BearerTokenFile = tokenFile,
            CaFile = caFile,
            InsecureSkipVerify = insecure,
            QueryTimeout = TimeSpan.FromSeconds(timeout),
            MaxRetries = retries,
        };
    }

    private static DeliveryOptions ReadDelivery(VariableReader reader, out CronSchedule? schedule, out TimeSpan presignExpiry)
    {
        var sampling = ReadSampling(reader);
        var step = reader.Int(V.StepSeconds, (int)sampling.DefaultStep.TotalSeconds, 10, 3600,
            v => v > 0 && 3600 % v != 0 ? string.Create(CultureInfo.InvariantCulture, $"{v} does not divide 3600") : null);
        var label = reader.Text(V.ClusterLabel, "clusterID");
        if (!LabelName().IsMatch(label))
        {
            reader.Fail(V.ClusterLabel, $"{VariableReader.Quote(label)} is not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)");
        }
        else if (label.StartsWith("__", StringComparison.Ordinal))
        {
            reader.Fail(V.ClusterLabel, $"{VariableReader.Quote(label)} is reserved: label names starting with __ are internal to Prometheus");
        }

        var ros = reader.Bool(V.RosEnabled, defaultValue: true);
        var settle = reader.Int(V.SettleMinutes, 15, 0, 1440);
        var backfill = reader.Int(V.BackfillDays, 7, 0, 90);
        var retain = reader.Int(V.RetainNumMonths, 4, 1, 120);

        var cron = reader.Text(V.Schedule, BridgeSettings.DefaultSchedule);
        schedule = null;
        try
        {
            schedule = CronSchedule.Parse(cron);
            if (reader.IsSet(V.Schedule))
            {
                reader.Describe(V.Schedule, $"{cron} (Quartz: {schedule.Quartz})", isDefault: false);
            }
            else
            {
                reader.Describe(V.Schedule, cron, isDefault: true);
            }
        }
        catch (FormatException e)
        {
            reader.Fail(V.Schedule, $"{VariableReader.Quote(cron)} is not a 5-field Unix cron expression: {e.Message}");
        }

        var parallel = reader.Int(V.MaxParallelClusters, 4, 1, 64);
        var parallelQueries = reader.Int(V.MaxParallelQueries, 2, 1, 16);
        var prefix = reader.Text(V.S3Prefix, "thanos-bridge");
        if (!ObjectKeyPrefix().IsMatch(prefix))
        {
            reader.Fail(V.S3Prefix, $"{VariableReader.Quote(prefix)} is not a key prefix: segments of A-Z, a-z, 0-9, '.', '_' and '-' separated by single '/', no '/' at either end");
        }

        var maxPayload = reader.Int(V.MaxPayloadMb, 100, 1, 100);
        presignExpiry = TimeSpan.FromHours(reader.Int(V.PresignExpiryHours, 48, 1, 168));
        return new DeliveryOptions
        {
            Settle = TimeSpan.FromMinutes(settle),
            BackfillDays = backfill,
            KokuRetentionMonths = retain,
            Step = TimeSpan.FromSeconds(step),
            ClusterLabel = label,
            Sampling = sampling,
            RosEnabled = ros,
            MaxParallelClusters = parallel,
            MaxParallelQueries = parallelQueries,
            ObjectKeyPrefix = prefix,
            MaxPayloadMegabytes = maxPayload,
        };
    }

    /// <summary>How the hub's samples were forwarded (docs/accuracy.md); ACM's metrics-collector every 300 s by default.</summary>
    private static Sampling ReadSampling(VariableReader reader)
    {
        var names = Enum.GetValues<SampleSource>().Select(Sampling.Name).ToList();
        var chosen = reader.IsSet(V.SampleSource) ? reader.OneOf(V.SampleSource, names) : null;
        if (!reader.IsSet(V.SampleSource))
        {
            reader.Describe(V.SampleSource, Sampling.Name(SampleSource.MetricsCollector), isDefault: true);
        }

        var source = chosen is not null && Sampling.TryParse(chosen, out var parsed) ? parsed : SampleSource.MetricsCollector;
        var interval = reader.Int(V.CollectorIntervalSeconds, (int)Sampling.AcmDefault.Interval.TotalSeconds, 10, 3600);
        return new Sampling(source, TimeSpan.FromSeconds(interval));
    }

    private static List<DiscoveredCluster> ParseClusters(VariableReader reader, string? raw)
    {
        var clusters = new List<DiscoveredCluster>();
        if (raw is null)
        {
            return clusters;
        }

        foreach (var item in raw.Split(','))
        {
            var entry = item.Trim();
            var eq = entry.IndexOf('=', StringComparison.Ordinal);
            string? problem = null;
            if (eq <= 0 || eq == entry.Length - 1)
            {
                problem = $"entry {VariableReader.Quote(entry)} is not id=org (list clusters as id=org[,id=org...])";
            }
            else
            {
                var id = entry[..eq].Trim();
                var org = entry[(eq + 1)..].Trim();
                if (!ClusterIdValidator.IsValid(id, out var reason))
                {
                    problem = $"cluster id {VariableReader.Quote(id)} is invalid: {reason}";
                }
                else if (!OrgId().IsMatch(org))
                {
                    problem = $"org id {VariableReader.Quote(org)} of cluster {id} is invalid: 1-64 characters from A-Z, a-z, 0-9, '.', '_' and '-'";
                }
                else if (clusters.Any(c => c.ClusterId == id && c.OrgId == org))
                {
                    problem = $"entry {VariableReader.Quote(entry)} is listed twice";
                }
                else
                {
                    clusters.Add(new DiscoveredCluster(id, org));
                }
            }

            if (problem is not null)
            {
                reader.Fail(V.Clusters, problem);
                return [];
            }
        }

        return clusters;
    }

    private static KokuDatabaseOptions? ReadDatabase(VariableReader reader)
    {
        var host = reader.Text(V.DatabaseHost);
        var port = reader.Int(V.DatabasePort, 5432, 1, 65535);
        var name = reader.Text(V.DatabaseName);
        var user = reader.Text(V.DatabaseUser);
        var password = reader.Text(V.DatabasePassword);
        if (host is null)
        {
            var others = SetAmong(reader, V.DatabasePort, V.DatabaseName, V.DatabaseUser, V.DatabasePassword);
            if (others.Count > 0)
            {
                reader.Fail(V.DatabaseHost,
                    $"not set, but {Listing(others)}; set all of DATABASE_SERVICE_HOST, DATABASE_NAME, DATABASE_USER and DATABASE_PASSWORD, or none");
            }

            return null;
        }

        RequireWith(reader, V.DatabaseHost, V.DatabaseName, V.DatabaseUser, V.DatabasePassword);
        return name is null || user is null || password is null
            ? null
            : new KokuDatabaseOptions { Host = host, Port = port, Database = name, Username = user, Password = password };
    }

    private static KafkaOptions? ReadKafka(VariableReader reader)
    {
        var bootstrap = reader.Text(V.KafkaBootstrapServers);
        if (bootstrap is not null && !BootstrapServers().IsMatch(bootstrap))
        {
            reader.Fail(V.KafkaBootstrapServers, $"{VariableReader.Quote(bootstrap)} is not host:port[,host:port...]");
        }

        var insightsHost = reader.Text(V.InsightsKafkaHost);
        var insightsPort = reader.OptionalInt(V.InsightsKafkaPort, 1, 65535);
        if (insightsHost is not null && insightsPort is null && !reader.IsSet(V.InsightsKafkaPort))
        {
            reader.Fail(V.InsightsKafkaPort, "not set, but INSIGHTS_KAFKA_HOST is");
        }
        else if (insightsHost is null && reader.IsSet(V.InsightsKafkaPort))
        {
            reader.Fail(V.InsightsKafkaHost, "not set, but INSIGHTS_KAFKA_PORT is");
        }

        string? insights = insightsHost is not null && insightsPort is not null
            ? string.Create(CultureInfo.InvariantCulture, $"{insightsHost}:{insightsPort}")
            : null;
        if (bootstrap is not null && insights is not null && bootstrap != insights)
        {
            reader.Fail(V.InsightsKafkaHost, $"{VariableReader.Quote(insights)} (with INSIGHTS_KAFKA_PORT) differs from KAFKA_BOOTSTRAP_SERVERS={VariableReader.Quote(bootstrap)}; set one");
        }

        var protocol = reader.OneOf(V.KafkaSecurityProtocol, SecurityProtocols);
        var mechanism = reader.OneOf(V.KafkaSaslMechanism, SaslMechanisms);
        var username = reader.Text(V.KafkaSaslUsername);
        var password = reader.Text(V.KafkaSaslPassword);
        var caLocation = reader.ExistingFile(V.KafkaSslCaLocation);
        var servers = bootstrap ?? insights;

        if (servers is null && !reader.IsSet(V.KafkaBootstrapServers) && !reader.IsSet(V.InsightsKafkaHost))
        {
            var others = SetAmong(reader, V.KafkaSecurityProtocol, V.KafkaSaslMechanism, V.KafkaSaslUsername, V.KafkaSaslPassword, V.KafkaSslCaLocation);
            if (others.Count > 0)
            {
                reader.Fail(V.KafkaBootstrapServers, $"not set, but {Listing(others)}; set KAFKA_BOOTSTRAP_SERVERS (or INSIGHTS_KAFKA_HOST and INSIGHTS_KAFKA_PORT)");
            }

            return null;
        }

        if (reader.IsSet(V.KafkaSaslMechanism))
        {
            RequireWith(reader, V.KafkaSaslMechanism, V.KafkaSaslUsername, V.KafkaSaslPassword);
        }
        else
        {
            var credentials = SetAmong(reader, V.KafkaSaslUsername, V.KafkaSaslPassword);
            if (credentials.Count > 0)
            {
                reader.Fail(V.KafkaSaslMechanism, $"not set, but {Listing(credentials)}; without a mechanism the credentials would be ignored");
            }
            else if (protocol is "SASL_PLAINTEXT" or "SASL_SSL")
            {
                reader.Fail(V.KafkaSaslMechanism, $"not set, but KAFKA_SECURITY_PROTOCOL is {protocol}");
            }
        }

        if (protocol is "PLAINTEXT" or "SSL" && mechanism is not null)
        {
            reader.Fail(V.KafkaSecurityProtocol, $"\"{protocol}\" does not use SASL, but KAFKA_SASL_MECHANISM is {mechanism}; use SASL_SSL or SASL_PLAINTEXT");
        }

        var effectiveProtocol = protocol ?? (mechanism is not null ? "SASL_SSL" : "PLAINTEXT");
        if (protocol is null)
        {
            reader.Describe(V.KafkaSecurityProtocol, effectiveProtocol, isDefault: true);
        }

        if (caLocation is not null && effectiveProtocol is "PLAINTEXT" or "SASL_PLAINTEXT")
        {
            reader.Fail(V.KafkaSslCaLocation, $"{VariableReader.Quote(caLocation)} is set, but KAFKA_SECURITY_PROTOCOL is {effectiveProtocol}, which does not use TLS");
        }

        return servers is null
            ? null
            : new KafkaOptions
            {
                BootstrapServers = servers,
                SecurityProtocol = effectiveProtocol,
                SaslMechanism = mechanism,
                SaslUsername = username,
                SaslPassword = password,
                SslCaLocation = caLocation,
            };
    }

    private static S3Options? ReadS3(VariableReader reader, TimeSpan presignExpiry)
    {
        var endpoint = reader.HttpUrl(V.S3Endpoint, assumeHttps: true);
        var region = reader.Text(V.S3Region, "us-east-1");
        if (!Region().IsMatch(region))
        {
            reader.Fail(V.S3Region, $"{VariableReader.Quote(region)} is not a region name (A-Z, a-z, 0-9, '-' and '_')");
        }

        var accessKey = reader.Text(V.AwsAccessKeyId);
        var secretKey = reader.Text(V.AwsSecretAccessKey);
        var bucket = reader.Text(V.S3Bucket);
        if (bucket is not null && !BucketName().IsMatch(bucket))
        {
            reader.Fail(V.S3Bucket, $"{VariableReader.Quote(bucket)} is not an S3 bucket name (3-63 characters: lowercase letters, digits, '.' and '-', starting and ending with a letter or digit)");
        }

        if (!reader.IsSet(V.S3Endpoint))
        {
            // AWS_* and S3_REGION are standard variables that machines often set globally; only the bridge's own
            // bucket variable says that S3 delivery was meant.
            _ = reader.Text(V.AwsCaBundle); // listed by check-config, not used without S3
            var others = SetAmong(reader, V.S3Bucket);
            if (others.Count > 0)
            {
                reader.Fail(V.S3Endpoint,
                    $"not set, but {Listing(others)}; set S3_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and THANOS_BRIDGE_S3_BUCKET, or none");
            }

            return null;
        }

        var caBundle = reader.ExistingFile(V.AwsCaBundle);

        RequireWith(reader, V.S3Endpoint, V.AwsAccessKeyId, V.AwsSecretAccessKey, V.S3Bucket);
        return endpoint is null || accessKey is null || secretKey is null || bucket is null
            ? null
            : new S3Options
            {
                Endpoint = endpoint,
                Region = region,
                AccessKeyId = accessKey,
                SecretAccessKey = secretKey,
                CaBundle = caBundle,
                Bucket = bucket,
                PresignExpiry = presignExpiry,
            };
    }

    private static void CheckDeliveryGroups(VariableReader reader, string? clustersRaw)
    {
        var s3Set = reader.IsSet(V.S3Endpoint);
        var kafkaSet = reader.IsSet(V.KafkaBootstrapServers) || reader.IsSet(V.InsightsKafkaHost);
        const string Together = "S3 and Kafka deliver together: configure both, or neither to write payloads to THANOS_BRIDGE_OUTPUT_DIR";
        if (s3Set && !kafkaSet)
        {
            reader.Fail(V.KafkaBootstrapServers, $"not set, but S3_ENDPOINT is; {Together}");
        }
        else if (kafkaSet && !s3Set)
        {
            reader.Fail(V.S3Endpoint, $"not set, but {(reader.IsSet(V.KafkaBootstrapServers) ? V.KafkaBootstrapServers : V.InsightsKafkaHost)} is; {Together}");
        }

        var databaseSet = reader.IsSet(V.DatabaseHost);
        if (!databaseSet && clustersRaw is null)
        {
            reader.Fail(V.Clusters, "not set and no database is configured (DATABASE_SERVICE_HOST); list the clusters as id=org[,id=org...]");
        }
        else if (databaseSet && clustersRaw is not null)
        {
            reader.Fail(V.Clusters,
                $"{VariableReader.Quote(clustersRaw)} is set together with DATABASE_SERVICE_HOST; clusters are then discovered from koku's database and the list would be ignored");
        }
    }

    /// <summary>Each of <paramref name="required"/> that is unset fails with "not set, but <paramref name="trigger"/> is".</summary>
    private static void RequireWith(VariableReader reader, string trigger, params string[] required)
    {
        foreach (var name in required.Where(n => !reader.IsSet(n)))
        {
            reader.Fail(name, $"not set, but {trigger} is");
        }
    }

    private static List<string> SetAmong(VariableReader reader, params string[] names) => [.. names.Where(reader.IsSet)];

    private static string Listing(List<string> names) => names.Count == 1
        ? $"{names[0]} is"
        : $"{string.Join(", ", names.Take(names.Count - 1))} and {names[^1]} are";

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();

    [GeneratedRegex("^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$")]
    private static partial Regex ObjectKeyPrefix();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex OrgId();

    [GeneratedRegex(@"^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):[0-9]{1,5}(,([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):[0-9]{1,5})*$")]
    private static partial Regex BootstrapServers();

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex Region();

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketName();
}
