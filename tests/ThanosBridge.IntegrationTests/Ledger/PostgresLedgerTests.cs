using Microsoft.Extensions.Logging.Testing;
using ThanosBridge.TestSupport.Logging;
using Npgsql;
using ThanosBridge.Adapters.Ledger;
using ThanosBridge.Core.Delivery;
using ThanosBridge.Testing.Ledger;
using ThanosBridge.TestSupport;
using ThanosBridge.TestSupport.Fakes;

namespace ThanosBridge.IntegrationTests.Ledger;

/// <summary>
/// What only the PostgreSQL ledger has: versioned migrations under an advisory lock, the schema's constraints, and a
/// uuid unique across all clusters. Migration tests use a throw-away schema so that they start from nothing.
/// </summary>
public sealed class PostgresLedgerTests : IAsyncLifetime
{
    private static readonly DateOnly Day = new(2026, 8, 4);

    private readonly NpgsqlDataSource admin = NpgsqlDataSource.Create(StackEnvironment.Current.KokuConnectionString);
    private readonly List<NpgsqlDataSource> sources = [];
    private readonly List<string> schemas = [];
    private readonly List<string> clusters = [];
    private readonly FakeTimeProvider clock = new();
    private readonly FakeLogger<PostgresLedger> log = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var schema in schemas)
        {
            await using var drop = admin.CreateCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE");
            await drop.ExecuteNonQueryAsync(CancellationToken.None);
        }

        // Only what this test wrote, and only if the default schema exists: on a fresh database (CI) a test that never
        // initialised it must not fail in its cleanup.
        await using (var exists = admin.CreateCommand("SELECT to_regclass('thanos_bridge.cluster_days') IS NOT NULL"))
        {
            if (clusters.Count > 0 && (bool)(await exists.ExecuteScalarAsync(CancellationToken.None))!)
            {
                await using var cleanup = admin.CreateCommand("DELETE FROM thanos_bridge.cluster_days WHERE cluster_id = ANY(@ids)");
                cleanup.Parameters.AddWithValue("ids", clusters.ToArray());
                await cleanup.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }

        foreach (var source in sources)
        {
            await source.DisposeAsync();
        }

        await admin.DisposeAsync();
    }

    [Fact]
    public async Task InitializeAsync_TwoProcessesRacingOnAnEmptySchema_BothSucceedAndMigrateOnce()
    {
        for (var round = 0; round < 3; round++)
        {
            var schema = NewSchema();
            var first = Open(schema);
            var second = Open(schema);
            var before = log.Messages(5301).Count();

            await Task.WhenAll(
                Task.Run(() => first.InitializeAsync(Ct), Ct),
                Task.Run(() => second.InitializeAsync(Ct), Ct));

            (await AppliedVersionsAsync(schema)).ShouldBe(PostgresLedgerMigrations.All.Select(m => m.Version));
            (log.Messages(5301).Count() - before).ShouldBe(PostgresLedgerMigrations.All.Count);
            (await TablesAsync(schema)).ShouldBe(["cluster_days", "schema_migrations", "snapshot_parts", "snapshots"]);
        }
    }

    [Fact]
    public async Task InitializeAsync_AlreadyMigrated_AppliesNothing()
    {
        var schema = NewSchema();
        await Open(schema).InitializeAsync(Ct);

        await Open(schema).InitializeAsync(Ct);

        (await AppliedVersionsAsync(schema)).ShouldBe(PostgresLedgerMigrations.All.Select(m => m.Version));
        log.Messages(5301).Count().ShouldBe(PostgresLedgerMigrations.All.Count);
        log.Messages(5302).ShouldHaveSingleItem().ShouldContain($"version {PostgresLedgerMigrations.LatestVersion}");
    }

    [Fact]
    public async Task InitializeAsync_SchemaOfANewerBuild_WarnsAndKeepsWorking()
    {
        var schema = NewSchema();
        var ledger = Open(schema);
        await ledger.InitializeAsync(Ct);
        await using (var newer = admin.CreateCommand($"INSERT INTO {schema}.schema_migrations VALUES (999, '999_future', now())"))
        {
            await newer.ExecuteNonQueryAsync(Ct);
        }

        await ledger.InitializeAsync(Ct);

        log.Messages(5303).ShouldHaveSingleItem().ShouldContain("version 999");
        var cluster = NewCluster();
        await ledger.RecordFailureAsync(cluster, Day, null, "still works", Ct);
        (await ledger.GetDaysAsync(cluster, Day, Ct)).ShouldHaveSingleItem().FailedAttempts.ShouldBe(1);
    }

    [Fact]
    public async Task InitializeAsync_DefaultSchema_CreatesNoTableInKokusPublicSchema()
    {
        var ledger = new PostgresLedger(admin, clock);
        await ledger.InitializeAsync(Ct);

        ledger.Schema.ShouldBe("thanos_bridge");
        (await TablesAsync("thanos_bridge")).ShouldBe(["cluster_days", "schema_migrations", "snapshot_parts", "snapshots"]);
        await using var cmd = admin.CreateCommand("""
            SELECT count(*)::integer FROM information_schema.tables
            WHERE table_schema = 'public' AND table_name IN ('cluster_days', 'schema_migrations', 'snapshot_parts', 'snapshots')
            """);
        (await cmd.ExecuteScalarAsync(Ct)).ShouldBe(0);
    }

    [Fact]
    public async Task Schema_SecondPendingRowWrittenDirectly_IsRefusedByThePartialUniqueIndex()
    {
        var ledger = new PostgresLedger(admin, clock);
        await ledger.InitializeAsync(Ct);
        var cluster = NewCluster();
        await ledger.RecordFailureAsync(cluster, Day, null, "creates the day", Ct);
        const string Insert = """
            INSERT INTO thanos_bridge.snapshots (uuid, cluster_id, day, hours, state, created_at, updated_at)
            VALUES (@uuid, @cluster, @day, @hours, @state, now(), now())
            """;

        await ExecuteAsync(Insert, Guid.NewGuid(), cluster, 3, "uploaded");
        var e = await Should.ThrowAsync<PostgresException>(() => ExecuteAsync(Insert, Guid.NewGuid(), cluster, 4, "packaged"));

        e.SqlState.ShouldBe(PostgresErrorCodes.UniqueViolation);
        e.ConstraintName.ShouldBe("snapshots_one_pending");
        var check = await Should.ThrowAsync<PostgresException>(() => ExecuteAsync(Insert, Guid.NewGuid(), cluster, 25, "published"));
        check.SqlState.ShouldBe(PostgresErrorCodes.CheckViolation);
    }

    [Fact]
    public async Task AddPackagedAsync_UuidUsedByAnotherCluster_Throws()
    {
        var ledger = new PostgresLedger(admin, clock);
        await ledger.InitializeAsync(Ct);
        var uuid = Guid.NewGuid();
        var first = Snapshot(NewCluster(), uuid);
        await ledger.AddPackagedAsync(first, Ct);
        var second = Snapshot(NewCluster(), uuid);

        var e = await Should.ThrowAsync<InvalidOperationException>(() => ledger.AddPackagedAsync(second, Ct));

        e.Message.ShouldContain(first.ClusterId);
        (await ledger.GetDaysAsync(second.ClusterId, Day, Ct)).ShouldBeEmpty("the refused add is rolled back whole, its day record included");
    }

    [Theory]
    [InlineData("Thanos")]
    [InlineData("public; DROP TABLE x")]
    [InlineData("")]
    [InlineData("1abc")]
    public void Constructor_SchemaNameNotPlain_Throws(string schema)
    {
        Should.Throw<ArgumentException>(() => new PostgresLedger(admin, clock, null, schema));
    }

    private PostgresLedger Open(string schema)
    {
        var source = NpgsqlDataSource.Create(StackEnvironment.Current.KokuConnectionString);
        sources.Add(source);
        return new PostgresLedger(source, clock, log, schema);
    }

    private string NewSchema()
    {
        var schema = "ledger_test_" + Guid.NewGuid().ToString("N");
        schemas.Add(schema);
        return schema;
    }

    private string NewCluster()
    {
        var cluster = "ledger-test-" + Guid.NewGuid().ToString("N");
        clusters.Add(cluster);
        return cluster;
    }

    private SnapshotRecord Snapshot(string cluster, Guid uuid) =>
        new(cluster, Day, 6, uuid, SnapshotState.Packaged, [new SnapshotPart("p.tar.gz", $"k/{cluster}/p.tar.gz", [1, 2, 3])], 0, null,
            clock.GetUtcNow(), clock.GetUtcNow());

    private async Task ExecuteAsync(string sql, Guid uuid, string cluster, int hours, string state)
    {
        await using var cmd = admin.CreateCommand(sql);
        cmd.Parameters.AddWithValue("uuid", uuid);
        cmd.Parameters.AddWithValue("cluster", cluster);
        cmd.Parameters.AddWithValue("day", Day);
        cmd.Parameters.AddWithValue("hours", hours);
        cmd.Parameters.AddWithValue("state", state);
        await cmd.ExecuteNonQueryAsync(Ct);
    }

    private async Task<List<int>> AppliedVersionsAsync(string schema)
    {
        await using var cmd = admin.CreateCommand($"SELECT version FROM {schema}.schema_migrations ORDER BY version");
        await using var reader = await cmd.ExecuteReaderAsync(Ct);
        var versions = new List<int>();
        while (await reader.ReadAsync(Ct))
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }

    private async Task<List<string>> TablesAsync(string schema)
    {
        await using var cmd = admin.CreateCommand(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = @schema ORDER BY table_name");
        cmd.Parameters.AddWithValue("schema", schema);
        await using var reader = await cmd.ExecuteReaderAsync(Ct);
        var tables = new List<string>();
        while (await reader.ReadAsync(Ct))
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }
}
