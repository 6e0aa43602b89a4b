using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ThanosBridge.Adapters.Kafka;
using ThanosBridge.Adapters.Koku;
using ThanosBridge.Adapters.Ledger;
using ThanosBridge.Adapters.OutputDirectory;
using ThanosBridge.Adapters.S3;
using ThanosBridge.Adapters.Thanos;
using ThanosBridge.Configuration;
using ThanosBridge.Core.Confirmation;
using ThanosBridge.Core.Delivery;
using ThanosBridge.Core.Discovery;
using ThanosBridge.Core.Ledger;
using ThanosBridge.Health;
using ThanosBridge.Hosting;
using ThanosBridge.Tests.Configuration;

namespace ThanosBridge.Tests.Hosting;

/// <summary>The composition root of delivery: the adapters the settings ask for, one client of each kind, nothing connected.</summary>
public sealed class DeliveryServiceCollectionExtensionsTests : IDisposable
{
    private readonly SettingsEnvironment files = new();
    private readonly string dataDirectory = Directory.CreateTempSubdirectory("composition-").FullName;

    public void Dispose()
    {
        files.Dispose();
        Directory.Delete(dataDirectory, recursive: true);
    }

    [Fact]
    public async Task AddBridgeDelivery_KokuSettings_PicksKokuPostgresS3AndKafka_AndDisposesEachOnce()
    {
        var settings = BridgeSettingsLoader.Load(KokuWithPlainKafka());
        var provider = new ServiceCollection().AddLogging().AddBridgeDelivery(settings)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        provider.GetRequiredService<IClusterSource>().ShouldBeOfType<OperatorCoexistence>("koku discovery, left to a CMMO that still uploads");
        provider.GetRequiredService<ILedger>().ShouldBeSameAs(provider.GetRequiredService<DatabaseLedger>());
        provider.GetRequiredService<DatabaseLedger>().Location.ShouldContain("thanos_bridge");
        provider.GetRequiredService<IPayloadStore>().ShouldBeSameAs(provider.GetRequiredService<S3PayloadStore>());
        provider.GetRequiredService<IAnnouncer>().ShouldBeSameAs(provider.GetRequiredService<KafkaAnnouncer>());
        provider.GetRequiredService<DeliveryRunner>().ShouldNotBeNull();
        provider.GetRequiredService<IKokuIngestion>().ShouldBeOfType<KokuIngestionReader>("delivery confirmation reads koku's manifest tables");
        provider.GetRequiredService<DeliveryConfirmation>().ShouldNotBeNull();

        // Registered as itself and as its interface, each is disposed twice by the container: that must be harmless.
        await Should.NotThrowAsync(async () => await provider.DisposeAsync());
    }

    [Fact]
    public async Task AddBridgeDelivery_EmbeddedSettings_PicksTheClusterListSqliteAndTheOutputDirectory_AndTouchesNoFile()
    {
        var env = SettingsEnvironment.Minimal();
        env["THANOS_BRIDGE_DATA_DIR"] = dataDirectory;
        var settings = BridgeSettingsLoader.Load(env);
        await using var provider = new ServiceCollection().AddLogging().AddBridgeDelivery(settings)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        provider.GetRequiredService<DeliveryRunner>().ShouldNotBeNull();
        provider.GetRequiredService<IClusterSource>().ShouldBeOfType<EnvironmentClusterSource>();
        provider.GetRequiredService<IPayloadStore>().ShouldBeOfType<OutputDirectoryPayloadStore>();
        provider.GetRequiredService<IAnnouncer>().ShouldBeOfType<OutputDirectoryAnnouncer>();
        provider.GetService<NpgsqlDataSource>().ShouldBeNull();
        provider.GetService<DeliveryConfirmation>().ShouldBeNull("no koku database: confirmation is off");
        Directory.EnumerateFileSystemEntries(dataDirectory).ShouldBeEmpty("the ledger is created by its first InitializeAsync, not by the container");
    }

    [Fact]
    public void AddBridgeDeliveryAndHealth_KokuSettings_ShareOneThanosClientAndOneDataSource()
    {
        var settings = BridgeSettingsLoader.Load(files.Koku());
        var services = new ServiceCollection().AddLogging()
            .AddBridgeDelivery(settings)
            .AddBridgeHealth(settings, sp =>
            [
                new(DependencyProbe.S3, sp.GetRequiredService<S3PayloadStore>().CheckAsync),
                new(DependencyProbe.Kafka, sp.GetRequiredService<KafkaAnnouncer>().CheckAsync),
            ]);

        services.Count(d => d.ServiceType == typeof(NpgsqlDataSource)).ShouldBe(1);
        services.Count(d => d.ServiceType == typeof(HttpClient)).ShouldBe(1);
        services.Single(d => d.ServiceType == typeof(HttpClient)).ServiceKey.ShouldBe(DeliveryServiceCollectionExtensions.ThanosHttpClient);
        services.Count(d => d.ServiceType == typeof(S3PayloadStore)).ShouldBe(1);
        services.Count(d => d.ServiceType == typeof(KafkaAnnouncer)).ShouldBe(1);
        services.Count(d => d.ServiceType == typeof(ThanosQueryClient)).ShouldBe(1);
    }

    /// <summary>The koku settings with Kafka in plain text: the producer is created for real, and the test CA is no certificate.</summary>
    private Dictionary<string, string?> KokuWithPlainKafka()
    {
        var env = files.Koku();
        foreach (var key in env.Keys.Where(k => k.StartsWith("KAFKA_", StringComparison.Ordinal) && k != "KAFKA_BOOTSTRAP_SERVERS").ToList())
        {
            env.Remove(key);
        }

        return env;
    }
}
