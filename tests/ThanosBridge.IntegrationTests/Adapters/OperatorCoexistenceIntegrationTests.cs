using Microsoft.Extensions.Logging.Testing;
using Npgsql;
using ThanosBridge.Adapters.Koku;
using ThanosBridge.Core.Discovery;
using ThanosBridge.TestSupport.Bridge;
using ThanosBridge.TestSupport.Fakes;

namespace ThanosBridge.IntegrationTests.Adapters;

/// <summary>
/// A cluster whose CMMO still uploads is left to it (koku-ingestion.md §7, gotcha 26), read from koku's manifest table
/// (§4.5) in a throwaway copy of koku's database seeded by stack/koku/seed.sql.
/// </summary>
public class OperatorCoexistenceIntegrationTests
{
    private const string Alpha = "a1f0c3d2-5b6e-4c7a-8d9e-0f1a2b3c4d01";
    private const string Beta = "b2e1d4c3-6c7f-4d8b-9e0f-1a2b3c4d5e02";
    private const string Gamma = "c3f2e5d4-7d80-4e9c-8f1a-2b3c4d5e6f03";
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 6, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DiscoverAsync_OperatorPayloadWithinTheWindow_SkipsOnlyThatCluster_AsCmmoActive()
    {
        await using var koku = await KokuTestDatabase.CreateAsync(Ct);
        await using var db = NpgsqlDataSource.Create(koku.ConnectionString);
        await InsertManifestAsync(db, Alpha, "costmanagement-metrics-operator:4.4.2", Now.AddHours(-2));   // CMMO still uploading
        await InsertManifestAsync(db, Alpha, "costmanagement-metrics-operator:4.4.2", Now.AddDays(-5));
        await InsertManifestAsync(db, Beta, "costmanagement-metrics-operator:4.4.2", Now.AddHours(-30));   // stopped a day ago
        await InsertManifestAsync(db, Gamma, "thanos-bridge:4.4.2", Now.AddHours(-1));                      // the bridge's own
        var logger = new FakeLogger<OperatorCoexistence>();

        var result = await Sut(db, logger, new HashSet<ClusterId>()).DiscoverAsync(Ct);

        result.Clusters.Select(c => c.ClusterId.Value).ShouldNotContain(Alpha);
        result.Clusters.Select(c => c.ClusterId.Value).ShouldContain(Beta);
        result.Clusters.Select(c => c.ClusterId.Value).ShouldContain(Gamma);
        var skipped = result.Skipped.Where(s => s.Reason == SkipReasons.CmmoActive).ShouldHaveSingleItem();
        skipped.ClusterId.ShouldBe(Alpha);
        skipped.Detail.ShouldStartWith("koku recorded a payload from costmanagement-metrics-operator:4.4.2 at 2026-12-03T04:00:00Z, within the last 24 h");
        var log = logger.Collector.GetSnapshot().ShouldHaveSingleItem();
        (log.Id.Id, log.Level).ShouldBe((1030, Microsoft.Extensions.Logging.LogLevel.Warning));
    }

    [Fact]
    public async Task DiscoverAsync_ClusterListedAsSwitchedOver_IsDeliveredDespiteTheOperatorPayload()
    {
        await using var koku = await KokuTestDatabase.CreateAsync(Ct);
        await using var db = NpgsqlDataSource.Create(koku.ConnectionString);
        await InsertManifestAsync(db, Alpha, "costmanagement-metrics-operator:4.4.2", Now.AddHours(-2));

        var result = await Sut(db, new FakeLogger<OperatorCoexistence>(), new HashSet<ClusterId> { ClusterId.Parse(Alpha) }).DiscoverAsync(Ct);

        result.Clusters.Select(c => c.ClusterId.Value).ShouldContain(Alpha);
        result.Skipped.ShouldNotContain(s => s.Reason == SkipReasons.CmmoActive);
    }

    private static OperatorCoexistence Sut(NpgsqlDataSource db, FakeLogger<OperatorCoexistence> logger, HashSet<ClusterId> switchedOver) =>
        new(new KokuClusterSource(db, new FakeLogger<KokuClusterSource>()), new KokuOperatorUploads(db),
            new CoexistenceOptions(TimeSpan.FromHours(24), switchedOver), new FakeTimeProvider(Now), logger);

    private static async Task InsertManifestAsync(NpgsqlDataSource db, string clusterId, string operatorVersion, DateTimeOffset created)
    {
        await using var command = db.CreateCommand("""
            INSERT INTO public.reporting_common_costusagereportmanifest
                (assembly_id, provider_id, billing_period_start_datetime, creation_datetime, operator_version, cluster_id)
            VALUES (@assembly, gen_random_uuid(), date_trunc('month', @created), @created, @version, @cluster)
            """);
        command.Parameters.AddWithValue("assembly", Guid.NewGuid().ToString());
        command.Parameters.AddWithValue("created", created.UtcDateTime);
        command.Parameters.AddWithValue("version", operatorVersion);
        command.Parameters.AddWithValue("cluster", clusterId);
        await command.ExecuteNonQueryAsync(Ct);
    }
}
