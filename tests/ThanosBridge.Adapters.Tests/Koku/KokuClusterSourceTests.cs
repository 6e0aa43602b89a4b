using Microsoft.Extensions.Logging.Testing;
using Npgsql;
using ThanosBridge.Adapters.Koku;
using ThanosBridge.Core.Delivery;
using ThanosBridge.Core.Discovery;
using ThanosBridge.TestSupport.Logging;

namespace ThanosBridge.Adapters.Tests.Koku;

/// <summary>How rows of koku's active-clusters SQL become clusters and skips (no database: the rows are given).</summary>
public sealed class KokuClusterSourceTests : IDisposable
{
    private const string Alpha = "a1f0c3d2-5b6e-4c7a-8d9e-0f1a2b3c4d01";

    // Creating a data source opens no connection.
    private readonly NpgsqlDataSource dataSource =
        NpgsqlDataSource.Create("Host=koku-db.example;Port=5433;Database=costonprem_koku;Username=koku;Password=not-used");

    private readonly FakeLogger<KokuClusterSource> logger = new();

    public void Dispose() => dataSource.Dispose();

    [Fact]
    public void Classify_MatchingRow_MapsEveryColumn()
    {
        var provider = Guid.NewGuid();

        var result = CreateSut().Classify([Row(7, Alpha, "1234567", account: "10001", provider: provider)]);

        result.Skipped.ShouldBeEmpty();
        result.Clusters.ShouldHaveSingleItem().ShouldBe(
            new DiscoveredCluster(ClusterId.Parse(Alpha), "1234567", "10001", provider, 7, "org1234567", "alias-7"));
    }

    [Fact]
    public void Classify_OrgIdWithSpacesAndNullAccount_KeptVerbatim()
    {
        var result = CreateSut().Classify([Row(1, Alpha, " 0042 ", account: null)]);

        var cluster = result.Clusters.ShouldHaveSingleItem();
        cluster.OrgId.ShouldBe(" 0042 ");
        cluster.Account.ShouldBeNull();
    }

    [Fact]
    public void Classify_SameClusterInTwoOrgs_ReturnsOnePerOrg()
    {
        var result = CreateSut().Classify([Row(1, Alpha, "1234567"), Row(2, Alpha, "7654321")]);

        result.Clusters.Select(c => (c.ClusterId.Value, c.OrgId, c.SourceId))
            .ShouldBe([(Alpha, "1234567", (int?)1), (Alpha, "7654321", (int?)2)]);
        result.Skipped.ShouldBeEmpty();
    }

    [Fact]
    public void Classify_SameClusterTwiceInOneOrg_KeepsTheFirstAndLogsTheDuplicate()
    {
        var result = CreateSut().Classify([Row(3, Alpha, "1234567"), Row(9, Alpha, "1234567")]);

        result.Clusters.ShouldHaveSingleItem().SourceId.ShouldBe(3);
        var entry = logger.Entries().ShouldHaveSingleItem();
        entry.EventId.ShouldBe(1003);
        entry.Message.ShouldContain("source 3 and again by source 9");
    }

    [Fact]
    public void Classify_ListenerMismatch_SkippedWithSourceAndReason()
    {
        var result = CreateSut().Classify([Row(6, Alpha, "1234567", listenerMatch: false, name: "zeta-extra-key")]);

        result.Clusters.ShouldBeEmpty();
        var skipped = result.Skipped.ShouldHaveSingleItem();
        skipped.ClusterId.ShouldBe(Alpha);
        skipped.Reason.ShouldBe(SkipReasons.ListenerMismatch);
        skipped.Detail.ShouldContain("source 6 (zeta-extra-key)");
        skipped.Detail.ShouldContain("keys besides cluster_id");
    }

    [Theory]
    [InlineData("bad id")]
    [InlineData("x\"}")]
    [InlineData("ü")]
    public void Classify_InvalidClusterId_SkippedAsInvalidClusterId(string id)
    {
        var result = CreateSut().Classify([Row(4, id, "1234567")]);

        result.Clusters.ShouldBeEmpty();
        var skipped = result.Skipped.ShouldHaveSingleItem();
        skipped.Reason.ShouldBe(SkipReasons.InvalidClusterId);
        skipped.Detail.ShouldStartWith("source 4 (alias-4): the cluster id is not usable because it contains");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Classify_NoOrgId_SkippedAsMissingOrgId(string? orgId)
    {
        var result = CreateSut().Classify([Row(5, Alpha, orgId)]);

        result.Clusters.ShouldBeEmpty();
        var skipped = result.Skipped.ShouldHaveSingleItem();
        skipped.Reason.ShouldBe(SkipReasons.MissingOrgId);
        skipped.Detail.ShouldContain("source 5");
    }

    [Fact]
    public void KokuDiscoveryException_Message_NamesServerDatabaseAndVariables()
    {
        var ex = new KokuDiscoveryException("koku-db.example", 5433, "costonprem_koku", "boom");

        ex.Message.ShouldBe(
            "reading the OCP sources from koku's database costonprem_koku at koku-db.example:5433 " +
            "(DATABASE_SERVICE_HOST:DATABASE_SERVICE_PORT) failed: boom");
    }

    private static KokuClusterSource.SourceRow Row(
        int sourceId, string clusterId, string? orgId, string? account = "10001", Guid? provider = null, bool listenerMatch = true, string? name = null) =>
        new(sourceId, name ?? $"alias-{sourceId}", orgId, account, provider ?? Guid.NewGuid(), $"alias-{sourceId}", clusterId, "org1234567", listenerMatch);

    private KokuClusterSource CreateSut() => new(dataSource, logger);
}
