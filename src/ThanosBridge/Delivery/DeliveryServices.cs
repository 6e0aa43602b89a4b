using System.Diagnostics.Metrics;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using ThanosBridge.Adapters.Collection;
using ThanosBridge.Adapters.Kafka;
using ThanosBridge.Adapters.Koku;
using ThanosBridge.Adapters.Ledger;
using ThanosBridge.Adapters.OutputDirectory;
using ThanosBridge.Adapters.Recording;
using ThanosBridge.Adapters.S3;
using ThanosBridge.Adapters.Thanos;
using ThanosBridge.Configuration;
using ThanosBridge.Core.Collection;
using ThanosBridge.Core.Delivery;
using ThanosBridge.Core.Telemetry;

namespace ThanosBridge.Delivery;

/// <summary>
/// The composition root of delivery: picks the adapters the configuration asks for (koku's database or
/// THANOS_BRIDGE_CLUSTERS; PostgreSQL or file ledger; S3 + Kafka or the output directory) and wires the runner.
/// Used by <c>once</c>, <c>clusters</c> and the scheduled job of <c>serve</c>.
/// </summary>
public sealed class DeliveryServices : IAsyncDisposable
{
    private readonly List<IDisposable> owned = [];
    private readonly List<IAsyncDisposable> ownedAsync = [];

    private DeliveryServices(BridgeSettings settings) => Settings = settings;

    public BridgeSettings Settings { get; }

    public required DeliveryRunner Runner { get; init; }

    public required IClusterSource Clusters { get; init; }

    public required IThanosQueryClient Thanos { get; init; }

    public required ILedger Ledger { get; init; }

    public required BridgeMetrics Metrics { get; init; }

    /// <summary>The version written to build_info: the assembly's informational version.</summary>
    public static string Version =>
        typeof(DeliveryServices).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>Builds everything for a command run outside the web host (its own logger and meter factories).</summary>
    public static async Task<DeliveryServices> CreateAsync(BridgeSettings settings, TimeProvider time, string? recordDirectory, CancellationToken ct)
    {
        var provider = new ServiceCollection()
            .AddLogging(b => b
                .AddSimpleConsole(o =>
                {
                    o.SingleLine = true;
                    o.UseUtcTimestamp = true;
                    o.TimestampFormat = "HH:mm:ss ";
                })
                // Commands print their results on stdout; logs go to stderr.
                .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
                .SetMinimumLevel(LogLevel.Warning))
            .AddMetrics()
            .BuildServiceProvider();
        var services = await CreateAsync(
            settings, time, provider.GetRequiredService<ILoggerFactory>(), provider.GetRequiredService<IMeterFactory>(), recordDirectory, ct);
        services.ownedAsync.Add(provider);
        return services;
    }

    /// <param name="metrics">The host's instruments; null creates them from <paramref name="meters"/> (commands).</param>
    /// <param name="s3Store">The host's S3 client (also used by its readiness probe); null creates one, owned here.</param>
    /// <param name="kafkaAnnouncer">The host's Kafka producer (also probed); null creates one, owned here.</param>
    public static async Task<DeliveryServices> CreateAsync(
        BridgeSettings settings, TimeProvider time, ILoggerFactory loggers, IMeterFactory meters, string? recordDirectory, CancellationToken ct,
        BridgeMetrics? metrics = null, S3PayloadStore? s3Store = null, KafkaAnnouncer? kafkaAnnouncer = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var owned = new List<IDisposable>();
        var ownedAsync = new List<IAsyncDisposable>();

        var http = ThanosHttpClientFactory.CreateHttpClient(settings.Thanos);
        owned.Add(http);
        var thanos = new ThanosQueryClient(http, settings.Thanos, time, loggers.CreateLogger<ThanosQueryClient>());

        IClusterSource source;
        DatabaseLedger ledger;
        if (settings.Database is { } db)
        {
            var dataSource = NpgsqlDataSource.Create(db.ConnectionString);
            ownedAsync.Add(dataSource);
            source = new KokuClusterSource(dataSource, loggers.CreateLogger<KokuClusterSource>());
            ledger = DatabaseLedger.ForPostgres(dataSource, time, loggers.CreateLogger<DatabaseLedger>());
        }
        else
        {
            source = new EnvironmentClusterSource(
                settings.Clusters.Select(c => new ConfiguredCluster(c.ClusterId, c.OrgId)), loggers.CreateLogger<EnvironmentClusterSource>());
            ledger = DatabaseLedger.ForSqlite(settings.DataDirectory, time, loggers.CreateLogger<DatabaseLedger>());
            ownedAsync.Add(ledger);
        }

        IPayloadStore store;
        IAnnouncer announcer;
        if (settings.S3 is { } s3 && settings.Kafka is { } kafka)
        {
            if (s3Store is null)
            {
                s3Store = S3PayloadStore.Create(s3, time, loggers.CreateLogger<S3PayloadStore>());
                owned.Add(s3Store);
            }

            if (kafkaAnnouncer is null)
            {
                kafkaAnnouncer = new KafkaAnnouncer(kafka, loggers.CreateLogger<KafkaAnnouncer>());
                owned.Add(kafkaAnnouncer);
            }

            store = s3Store;
            announcer = kafkaAnnouncer;
        }
        else
        {
            store = new OutputDirectoryPayloadStore(settings.OutputDirectory, loggers.CreateLogger<OutputDirectoryPayloadStore>());
            announcer = new OutputDirectoryAnnouncer(settings.OutputDirectory, loggers.CreateLogger<OutputDirectoryAnnouncer>());
        }

        await ledger.InitializeAsync(ct);
        metrics ??= new BridgeMetrics(meters, Version);
        var queryLogger = loggers.CreateLogger<InstrumentedQueryExecutor>();
        IQueryExecutor ExecutorFor(string clusterId)
        {
            IQueryExecutor executor = new ThanosQueryExecutor(thanos, clusterId);
            if (recordDirectory is not null)
            {
                executor = new RecordingQueryExecutor(executor, Path.Combine(recordDirectory, clusterId));
            }

            return new InstrumentedQueryExecutor(executor, metrics, queryLogger);
        }

        var delivery = new ClusterDelivery(ExecutorFor, ledger, store, announcer, settings.Delivery, time, metrics, loggers.CreateLogger<ClusterDelivery>());
        var runner = new DeliveryRunner(
            source, token => thanos.LabelValuesAsync(settings.Delivery.ClusterLabel, token), delivery, ledger, settings.Delivery, time, metrics,
            loggers.CreateLogger<DeliveryRunner>());
        var services = new DeliveryServices(settings)
        {
            Runner = runner,
            Clusters = source,
            Thanos = thanos,
            Ledger = ledger,
            Metrics = metrics,
        };
        services.owned.AddRange(owned);
        services.ownedAsync.AddRange(ownedAsync);
        return services;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var d in owned)
        {
            d.Dispose();
        }

        foreach (var d in ownedAsync)
        {
            await d.DisposeAsync();
        }
    }
}
