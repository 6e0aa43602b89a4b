using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using ThanosBridge.Adapters.Koku;
using ThanosBridge.Core.Discovery;
using ThanosBridge.IntegrationTests.Faults;
using ThanosBridge.TestSupport.Bridge;

namespace ThanosBridge.IntegrationTests.Koku;

/// <summary>What auto-registration reads from koku's tables (the seeded copy of koku's database on the stack's PostgreSQL).</summary>
public class KokuSourceInventoryReaderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReadAsync_SeededKoku_ListsEveryOcpSourceNotBeingDeleted_WithItsCreator_AndKnowsTheOrg()
    {
        await using var db = await KokuTestDatabase.CreateAsync(Ct);
        await using var dataSource = NpgsqlDataSource.Create(db.ConnectionString);

        var inventory = await new KokuSourceInventoryReader(dataSource, "thanos-bridge", NullLogger<KokuSourceInventoryReader>.Instance).ReadAsync("1234567", Ct);

        inventory.OrgKnown.ShouldBeTrue();
        inventory.Sources.Select(s => s.Name).ShouldBe(["alpha", "beta", "gamma", "delta-paused", "zeta-extra-key"]);
        inventory.Sources.Single(s => s.Name == "zeta-extra-key").ClusterId.ShouldBe(FaultRun.Id("zeta-extra-key"), "a source koku's listener cannot match still has its cluster");
        inventory.Sources.Single(s => s.Name == "gamma").ShouldBe(new KokuOcpSource(FaultRun.Id("gamma"), 3, "gamma", "7654321", "admin-7654321"));
    }

    [Fact]
    public async Task ReadAsync_OrgWithoutACustomer_IsUnknown()
    {
        await using var db = await KokuTestDatabase.CreateAsync(Ct);
        await using var dataSource = NpgsqlDataSource.Create(db.ConnectionString);

        var inventory = await new KokuSourceInventoryReader(dataSource, "thanos-bridge", NullLogger<KokuSourceInventoryReader>.Instance).ReadAsync("1234568", Ct);

        inventory.OrgKnown.ShouldBeFalse();
        inventory.Sources.Count.ShouldBe(5);
    }

    [Fact]
    public async Task ReadAsync_DatabaseUnreachable_IsKokuDatabaseUnavailable_NamingTheServer()
    {
        using var closed = FaultRun.ClosedPort(out var port);
        await using var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = port, Database = "costonprem_koku", Username = "koku", Password = "koku-SECRET", Timeout = 5,
        }.ConnectionString);

        var e = await Should.ThrowAsync<RegistrationException>(
            () => new KokuSourceInventoryReader(dataSource, "thanos-bridge", NullLogger<KokuSourceInventoryReader>.Instance).ReadAsync("1234567", Ct));

        e.Reason.ShouldBe(RegistrationFailureReasons.KokuDatabaseUnavailable);
        e.Message.ShouldStartWith($"reading the OCP sources from koku's database costonprem_koku at 127.0.0.1:{port}");
        e.Message.ShouldNotContain("koku-SECRET");
    }
}
