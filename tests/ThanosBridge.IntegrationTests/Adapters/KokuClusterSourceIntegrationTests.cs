using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using ThanosBridge.Adapters.Koku;
using ThanosBridge.Core.Delivery;
using ThanosBridge.Core.Discovery;
using ThanosBridge.TestSupport;

namespace ThanosBridge.IntegrationTests.Adapters;

/// <summary>Discovery against the stack's koku database, seeded by stack/koku/seed.sql.</summary>
public class KokuClusterSourceIntegrationTests
{
    private const string Alpha = "a1f0c3d2-5b6e-4c7a-8d9e-0f1a2b3c4d01";
    private const string Beta = "b2e1d4c3-6c7f-4d8b-9e0f-1a2b3c4d5e02";
    private const string Gamma = "c3f2e5d4-7d80-4e9c-8f1a-2b3c4d5e6f03";
    private const string DeltaPaused = "d4a3f6e5-8e91-4fad-9a2b-3c4d5e6f7a04";
    private const string EpsilonPendingDelete = "e5b4a7f6-9fa2-4abe-8b3c-4d5e6f7a8b05";
    private const string ZetaExtraKey = "f6c5b8a7-a0b3-4bcf-9c4d-5e6f7a8b9c06";
    private const string EtaUnregistered = "07d6c9b8-b1c4-4cd0-8d5e-6f7a8b9c0d07";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DiscoverAsync_SeededDatabase_ReturnsTheActiveListenerMatchingClustersWithTheirOrgs()
    {
        await using var db = NpgsqlDataSource.Create(StackEnvironment.Current.KokuConnectionString);

        var result = await new KokuClusterSource(db, NullLogger<KokuClusterSource>.Instance).DiscoverAsync(Ct);

        result.Clusters.ShouldContain(new DiscoveredCluster(
            ClusterId.Parse(Alpha), "1234567", "10001", Guid.Parse("7e1d0a01-5c3b-4f2a-9d8e-000000000001"), 1, "org1234567", "alpha"));
        result.Clusters.ShouldContain(new DiscoveredCluster(
            ClusterId.Parse(Beta), "1234567", "10001", Guid.Parse("7e1d0a01-5c3b-4f2a-9d8e-000000000002"), 2, "org1234567", "beta"));
        result.Clusters.ShouldContain(new DiscoveredCluster(
            ClusterId.Parse(Gamma), "7654321", "20002", Guid.Parse("7e1d0a01-5c3b-4f2a-9d8e-000000000003"), 3, "org7654321", "gamma"));
        result.Clusters.Select(c => c.ClusterId.Value).ShouldNotContain(ZetaExtraKey);
    }

    [Fact]
    public async Task DiscoverAsync_SeededDatabase_SkipsTheExtraCredentialKeyAsListenerMismatch()
    {
        await using var db = NpgsqlDataSource.Create(StackEnvironment.Current.KokuConnectionString);

        var result = await new KokuClusterSource(db, NullLogger<KokuClusterSource>.Instance).DiscoverAsync(Ct);

        var zeta = result.Skipped.Where(s => s.ClusterId == ZetaExtraKey).ShouldHaveSingleItem();
        zeta.Reason.ShouldBe(SkipReasons.ListenerMismatch);
        zeta.Detail.ShouldContain("source 6 (zeta-extra-key)");
        zeta.Detail.ShouldContain("keys besides cluster_id");
    }

    [Fact]
    public async Task DiscoverAsync_SeededDatabase_NeverDeliversPausedOrPendingDelete_ButNamesThemAsStopped()
    {
        await using var db = NpgsqlDataSource.Create(StackEnvironment.Current.KokuConnectionString);

        var result = await new KokuClusterSource(db, NullLogger<KokuClusterSource>.Instance).DiscoverAsync(Ct);

        result.Clusters.Select(c => c.ClusterId.Value).ShouldNotContain(DeltaPaused);
        result.Clusters.Select(c => c.ClusterId.Value).ShouldNotContain(EpsilonPendingDelete);
        // Listed as skipped with the user's choice as the reason, so they are not mistaken for unregistered clusters.
        result.Skipped.Where(s => s.ClusterId == DeltaPaused).ShouldHaveSingleItem().Reason.ShouldBe(SkipReasons.Paused);
        result.Skipped.Where(s => s.ClusterId == EpsilonPendingDelete).ShouldHaveSingleItem().Reason.ShouldBe(SkipReasons.PendingDelete);
        SkipReasons.Problems.ShouldNotContain(SkipReasons.Paused);
        string[] seen = [.. result.Clusters.Select(c => c.ClusterId.Value), .. result.Skipped.Select(s => s.ClusterId)];
        seen.ShouldNotContain(EtaUnregistered);
    }

    [Fact]
    public async Task DiscoverAsync_WrongPassword_ThrowsNamingServerAndDatabaseButNotThePassword()
    {
        var env = StackEnvironment.Current;
        var password = "wrong-" + Guid.NewGuid().ToString("N");
        var connectionString = new NpgsqlConnectionStringBuilder(env.KokuConnectionString) { Password = password, Pooling = false };
        await using var db = NpgsqlDataSource.Create(connectionString.ConnectionString);

        var ex = await Should.ThrowAsync<KokuDiscoveryException>(
            () => new KokuClusterSource(db, NullLogger<KokuClusterSource>.Instance).DiscoverAsync(Ct));

        ex.Message.ShouldStartWith(
            $"reading the OCP sources from koku's database {env["DATABASE_NAME"]} at " +
            $"{env["DATABASE_SERVICE_HOST"]}:{env["DATABASE_SERVICE_PORT"]} (DATABASE_SERVICE_HOST:DATABASE_SERVICE_PORT) failed: 28P01");
        // The whole exception, inner Npgsql exception and stack included (the stack's real password equals the
        // user name, so only the wrong one can be looked for).
        ex.ToString().ShouldNotContain(password);
    }

    [Fact]
    public async Task DiscoverAsync_NothingListening_ThrowsNamingServer()
    {
        var builder = new NpgsqlConnectionStringBuilder(StackEnvironment.Current.KokuConnectionString)
        {
            Host = "127.0.0.1",
            Port = 1,
            Pooling = false,
            Timeout = 5,
        };
        await using var db = NpgsqlDataSource.Create(builder.ConnectionString);

        var ex = await Should.ThrowAsync<KokuDiscoveryException>(
            () => new KokuClusterSource(db, NullLogger<KokuClusterSource>.Instance).DiscoverAsync(Ct));

        ex.Message.ShouldStartWith($"reading the OCP sources from koku's database {builder.Database} at 127.0.0.1:1 ");
        ex.Host.ShouldBe("127.0.0.1");
        ex.Port.ShouldBe(1);
    }
}
