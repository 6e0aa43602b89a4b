using System.Collections;
using Microsoft.Extensions.Configuration;
using V = ThanosBridge.Configuration.BridgeVariables;

namespace ThanosBridge.Configuration;

/// <summary>
/// Reads and validates every variable of docs/configuration.md, one section reader at a time, and checks what spans
/// sections. All problems are collected; the first is thrown as a <see cref="ConfigurationException"/> whose
/// <see cref="ConfigurationException.AllProblems"/> lists them all.
/// </summary>
public static class BridgeSettingsLoader
{
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

        // The order of the calls is the order of the problems: the first one reported is the one thrown.
        var thanos = ThanosSettingsReader.Read(reader);
        var delivery = DeliverySettingsReader.Read(reader, out var schedule, out var presignExpiry);
        var confirmation = DeliverySettingsReader.ReadConfirmation(reader);
        var clustersRaw = reader.Text(V.Clusters);
        var clusters = DeliverySettingsReader.ParseClusters(reader, clustersRaw);
        var coexistence = DeliverySettingsReader.ReadCoexistence(reader);
        var dataDir = reader.Text(V.DataDir, "data");
        var outputDir = reader.Text(V.OutputDir, "out");
        var database = DatabaseSettingsReader.Read(reader);
        var kafka = KafkaSettingsReader.Read(reader);
        var s3 = S3SettingsReader.Read(reader, presignExpiry);
        CheckDeliveryGroups(reader, clustersRaw);
        var registration = RegistrationSettingsReader.Read(reader);
        var host = HostSettingsReader.Read(reader);

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
            Coexistence = coexistence,
            Confirmation = confirmation,
            DataDirectory = dataDir,
            OutputDirectory = outputDir,
            Schedule = schedule!,
            Registration = registration,
            HttpPort = host.HttpPort,
            MetricsPort = host.MetricsPort,
            OtlpEndpoint = host.OtlpEndpoint,
            OtlpProtocol = host.OtlpProtocol,
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
}
