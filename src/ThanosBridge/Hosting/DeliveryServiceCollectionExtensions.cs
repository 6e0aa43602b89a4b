using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Npgsql;
using ThanosBridge.Adapters.Kafka;
using ThanosBridge.Adapters.Koku;
using ThanosBridge.Adapters.Kubernetes;
using ThanosBridge.Adapters.Ledger;
using ThanosBridge.Adapters.OutputDirectory;
using ThanosBridge.Adapters.S3;
using ThanosBridge.Adapters.Thanos;
using ThanosBridge.Configuration;
using ThanosBridge.Core.Collection;
using ThanosBridge.Core.Confirmation;
using ThanosBridge.Core.Delivery;
using ThanosBridge.Core.Discovery;
using ThanosBridge.Core.Ledger;
using ThanosBridge.Core.Metrics;
using ThanosBridge.Telemetry;

namespace ThanosBridge.Hosting;

/// <summary>
/// The one composition root of delivery, used by every command (<c>serve</c>, <c>once</c>, <c>clusters</c>): one
/// registration per integration, each picking its adapter from the settings, and one client of each kind per process
/// (the readiness probes use the same Thanos client, data source, S3 client and Kafka producer as delivery). Nothing is
/// connected or migrated here: the ledger migrates on its first <see cref="ILedger.InitializeAsync"/>.
/// </summary>
public static class DeliveryServiceCollectionExtensions
{
    /// <summary>The key of the process's Thanos <see cref="HttpClient"/> (queries and the readiness probe).</summary>
    public const string ThanosHttpClient = "thanos";

    /// <summary>The key of the <see cref="HttpClient"/> of koku's sources API (auto-registration).</summary>
    public const string KokuApiHttpClient = "koku-api";

    /// <summary>Everything a delivery run needs; <paramref name="recordDirectory"/> is <c>once --record</c>'s.</summary>
    public static IServiceCollection AddBridgeDelivery(this IServiceCollection services, BridgeSettings settings, string? recordDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        services.TryAddSingleton(settings);
        services.TryAddSingleton(settings.Delivery);
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        // Serve registers the instruments behind its /metrics exporter first (AddBridgeTelemetry); commands get plain ones.
        services.TryAddSingleton(sp => new BridgeMetrics(sp.GetRequiredService<IMeterFactory>(), BridgeTelemetry.Version));
        return services
            .AddBridgeThanos(settings)
            .AddBridgeClusterSource(settings)
            .AddBridgeLedger(settings)
            .AddBridgePayloadDelivery(settings)
            .AddBridgeClusterRegistration(settings)
            .AddBridgeDeliveryRunner(recordDirectory)
            .AddBridgeDeliveryConfirmation(settings);
    }

    /// <summary>The Thanos Query client: one <see cref="HttpClient"/> (keyed <see cref="ThanosHttpClient"/>) and the query client on it.</summary>
    public static IServiceCollection AddBridgeThanos(this IServiceCollection services, BridgeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.TryAddKeyedSingleton(ThanosHttpClient, (_, _) => ThanosHttpClientFactory.CreateHttpClient(settings.Thanos));
        services.TryAddSingleton(sp => new ThanosQueryClient(
            sp.GetRequiredKeyedService<HttpClient>(ThanosHttpClient), settings.Thanos, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ThanosQueryClient>>()));
        services.TryAddSingleton<IThanosQueryClient>(sp => sp.GetRequiredService<ThanosQueryClient>());
        return services;
    }

    /// <summary>koku's database as one <see cref="NpgsqlDataSource"/>, when DATABASE_* is set (discovery, ledger, probe).</summary>
    public static IServiceCollection AddBridgeKokuDatabase(this IServiceCollection services, BridgeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Database is { } database)
        {
            services.TryAddSingleton(_ => NpgsqlDataSource.Create(database.ConnectionString));
        }

        return services;
    }

    /// <summary>Discovery: koku's sources when the database is configured, else THANOS_BRIDGE_CLUSTERS.</summary>
    public static IServiceCollection AddBridgeClusterSource(this IServiceCollection services, BridgeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.AddBridgeKokuDatabase(settings);
        if (settings.Database is not null)
        {
            services.TryAddSingleton<IClusterSource>(sp =>
            {
                var koku = new KokuClusterSource(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<ILogger<KokuClusterSource>>());
                // A cluster whose CMMO still uploads is left to it (koku-ingestion.md §7, gotcha 26); window 0 turns the check off.
                return settings.Coexistence.Window <= TimeSpan.Zero
                    ? koku
                    : new OperatorCoexistence(koku, new KokuOperatorUploads(sp.GetRequiredService<NpgsqlDataSource>()), settings.Coexistence,
                        sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<OperatorCoexistence>>());
            });
        }
        else
        {
            services.TryAddSingleton<IClusterSource>(sp => new EnvironmentClusterSource(
                settings.Clusters, sp.GetRequiredService<ILogger<EnvironmentClusterSource>>()));
        }

        return services;
    }

    /// <summary>The ledger: schema <c>thanos_bridge</c> in koku's database, else <c>ledger.db</c> in THANOS_BRIDGE_DATA_DIR.</summary>
    public static IServiceCollection AddBridgeLedger(this IServiceCollection services, BridgeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.AddBridgeKokuDatabase(settings);
        services.TryAddSingleton(sp => settings.Database is null
            ? DatabaseLedger.ForSqlite(settings.DataDirectory, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<DatabaseLedger>>())
            : DatabaseLedger.ForPostgres(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<DatabaseLedger>>()));
        services.TryAddSingleton<ILedger>(sp => sp.GetRequiredService<DatabaseLedger>());
        return services;
    }

    /// <summary>Where payloads go: S3 and Kafka when both are configured, else the output directory.</summary>
    public static IServiceCollection AddBridgePayloadDelivery(this IServiceCollection services, BridgeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.S3 is { } s3)
        {
            services.TryAddSingleton(sp => S3PayloadStore.Create(s3, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<S3PayloadStore>>()));
        }

        if (settings.Kafka is { } kafka)
        {
            services.TryAddSingleton(sp => new KafkaAnnouncer(kafka, sp.GetRequiredService<ILogger<KafkaAnnouncer>>()));
        }

        if (settings.S3 is not null && settings.Kafka is not null)
        {
            services.TryAddSingleton<IPayloadStore>(sp => sp.GetRequiredService<S3PayloadStore>());
            services.TryAddSingleton<IAnnouncer>(sp => sp.GetRequiredService<KafkaAnnouncer>());
        }
        else
        {
            services.TryAddSingleton<IPayloadStore>(sp => new OutputDirectoryPayloadStore(
                settings.OutputDirectory, sp.GetRequiredService<ILogger<OutputDirectoryPayloadStore>>()));
            services.TryAddSingleton<IAnnouncer>(sp => new OutputDirectoryAnnouncer(
                settings.OutputDirectory, sp.GetRequiredService<ILogger<OutputDirectoryAnnouncer>>()));
        }

        return services;
    }

    /// <summary>
    /// Auto-registration, when THANOS_BRIDGE_AUTO_REGISTER is true: the ManagedCluster lister (Kubernetes API), the
    /// reader of koku's sources (the same data source as discovery), koku's sources API client, and the registrar that
    /// every run calls before discovery. Nothing is registered when it is off.
    /// </summary>
    public static IServiceCollection AddBridgeClusterRegistration(this IServiceCollection services, BridgeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Registration is not { } registration)
        {
            return services;
        }

        services.AddBridgeKokuDatabase(settings);
        services.TryAddKeyedSingleton(KokuApiHttpClient, (_, _) => new HttpClient { Timeout = registration.KokuApi.Timeout });
        services.TryAddSingleton<IManagedClusterLister>(sp => new ManagedClusterLister(
            registration.Kubernetes, sp.GetRequiredService<ILogger<ManagedClusterLister>>()));
        services.TryAddSingleton<IKokuSourceInventory>(sp => new KokuSourceInventoryReader(
            sp.GetRequiredService<NpgsqlDataSource>(), registration.Rules.Username, sp.GetRequiredService<ILogger<KokuSourceInventoryReader>>()));
        services.TryAddSingleton<IKokuSourceRegistrar>(sp => new KokuSourcesClient(
            sp.GetRequiredKeyedService<HttpClient>(KokuApiHttpClient), registration.KokuApi, sp.GetRequiredService<ILogger<KokuSourcesClient>>()));
        services.TryAddSingleton(sp => new ClusterRegistrar(
            sp.GetRequiredService<IManagedClusterLister>(), sp.GetRequiredService<IKokuSourceInventory>(), sp.GetRequiredService<IKokuSourceRegistrar>(),
            registration.Rules, sp.GetRequiredService<BridgeMetrics>(), sp.GetRequiredService<ILogger<ClusterRegistrar>>()));
        return services;
    }

    /// <summary>
    /// Delivery confirmation, when koku's database and S3 + Kafka are configured (<see cref="BridgeSettings.ConfirmsDelivery"/>):
    /// the reader of koku's manifest tables (the same data source as discovery) and the check every run makes first.
    /// Nothing is registered in embedded mode: the runner then reports confirmation as off.
    /// </summary>
    public static IServiceCollection AddBridgeDeliveryConfirmation(this IServiceCollection services, BridgeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.ConfirmsDelivery)
        {
            return services;
        }

        services.AddBridgeKokuDatabase(settings);
        services.TryAddSingleton<IKokuIngestion>(sp => new KokuIngestionReader(sp.GetRequiredService<NpgsqlDataSource>()));
        services.TryAddSingleton(sp => new DeliveryConfirmation(
            sp.GetRequiredService<ILedger>(), sp.GetRequiredService<IKokuIngestion>(), sp.GetRequiredService<ClusterDelivery>(),
            settings.Confirmation, sp.GetRequiredService<DeliveryOptions>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<BridgeMetrics>(), sp.GetRequiredService<ILogger<DeliveryConfirmation>>()));
        return services;
    }

    /// <summary>
    /// The query executor (Thanos, counted and timed in the metrics, each response body also written as received to
    /// <c>&lt;record directory&gt;/&lt;cluster id&gt;/</c> when <c>once --record</c> asked for it), the cluster delivery and
    /// the run over all clusters.
    /// </summary>
    private static IServiceCollection AddBridgeDeliveryRunner(this IServiceCollection services, string? recordDirectory)
    {
        services.TryAddSingleton<IQueryExecutor>(sp => new InstrumentedQueryExecutor(
            new ThanosQueryExecutor(sp.GetRequiredService<IThanosQueryClient>(), recordDirectory),
            sp.GetRequiredService<BridgeMetrics>(), sp.GetRequiredService<ILogger<InstrumentedQueryExecutor>>()));
        services.TryAddSingleton(sp => new ClusterDelivery(
            sp.GetRequiredService<IQueryExecutor>(), sp.GetRequiredService<ILedger>(), sp.GetRequiredService<IPayloadStore>(),
            sp.GetRequiredService<IAnnouncer>(), sp.GetRequiredService<DeliveryOptions>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<BridgeMetrics>(), sp.GetRequiredService<ILogger<ClusterDelivery>>()));
        services.TryAddSingleton(sp =>
        {
            var thanos = sp.GetRequiredService<IThanosQueryClient>();
            var options = sp.GetRequiredService<DeliveryOptions>();
            return new DeliveryRunner(
                sp.GetRequiredService<IClusterSource>(), token => thanos.LabelValuesAsync(options.ClusterLabel, token), sp.GetRequiredService<ClusterDelivery>(),
                sp.GetRequiredService<ILedger>(), options, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<BridgeMetrics>(),
                sp.GetRequiredService<ILogger<DeliveryRunner>>(), sp.GetService<ClusterRegistrar>(), sp.GetService<DeliveryConfirmation>());
        });
        return services;
    }
}
