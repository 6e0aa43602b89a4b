using Npgsql;
using ThanosBridge.Adapters.Ledger;
using ThanosBridge.Adapters.Tests.Ledger;
using ThanosBridge.Core.Delivery;
using ThanosBridge.Core.Discovery;
using ThanosBridge.Core.Ledger;
using ThanosBridge.TestSupport;

namespace ThanosBridge.IntegrationTests.Ledger;

/// <summary>
/// The ledger contract on <see cref="DatabaseLedger.ForPostgres"/> in the local PostgreSQL, schema thanos_bridge. Each ledger
/// instance gets its own data source (a separate pool, as a second process would have); a simulated crash terminates
/// the ledger's server session just before its commit. The test's clusters are deleted afterwards.
/// </summary>
public sealed class PostgresLedgerContractTests : LedgerContractTests
{
    private readonly List<NpgsqlDataSource> sources = [];
    private NpgsqlDataSource admin = null!;

    protected override ValueTask SetUpStorageAsync()
    {
        admin = NpgsqlDataSource.Create(StackEnvironment.Current.KokuConnectionString);
        return ValueTask.CompletedTask;
    }

    protected override ILedger OpenLedger(TimeProvider clock)
    {
        var source = NpgsqlDataSource.Create(StackEnvironment.Current.KokuConnectionString);
        lock (sources)
        {
            sources.Add(source);
        }

        return DatabaseLedger.ForPostgres(source, clock);
    }

    protected override void CrashBeforeNextCommit(ILedger ledger) =>
        ((DatabaseLedger)ledger).BeforeCommit = async (connection, ct) =>
        {
            // The server ends the session with the transaction open, as if the bridge had died: nothing is committed.
            await using var kill = admin.CreateCommand("SELECT pg_terminate_backend(@pid, 10000)");
            kill.Parameters.AddWithValue("pid", ((NpgsqlConnection)connection).ProcessID);
            (await kill.ExecuteScalarAsync(ct)).ShouldBe(true);
        };

    protected override async Task<IReadOnlyList<Guid>> StoredPayloadsAsync(ClusterId clusterId, DateOnly day)
    {
        await using var cmd = admin.CreateCommand("""
            SELECT DISTINCT p.uuid FROM thanos_bridge.snapshot_parts p JOIN thanos_bridge.snapshots s ON s.uuid = p.uuid
            WHERE s.cluster_id = @cluster AND s.day = @day AND p.content IS NOT NULL
            """);
        cmd.Parameters.AddWithValue("cluster", clusterId.Value);
        cmd.Parameters.AddWithValue("day", day);
        await using var reader = await cmd.ExecuteReaderAsync(Ct);
        var uuids = new List<Guid>();
        while (await reader.ReadAsync(Ct))
        {
            uuids.Add(reader.GetGuid(0));
        }

        return uuids;
    }

    protected override async ValueTask TearDownStorageAsync()
    {
        if (admin is not null)
        {
            // Guarded: on a fresh database the schema exists only once some ledger initialised it.
            await using (var exists = admin.CreateCommand("SELECT to_regclass('thanos_bridge.cluster_days') IS NOT NULL"))
            {
                if ((bool)(await exists.ExecuteScalarAsync(CancellationToken.None))!)
                {
                    await using var cleanup = admin.CreateCommand("DELETE FROM thanos_bridge.cluster_days WHERE cluster_id = ANY(@ids)");
                    cleanup.Parameters.AddWithValue("ids", ClusterIds.ToArray());
                    await cleanup.ExecuteNonQueryAsync(CancellationToken.None);
                }
            }

            await admin.DisposeAsync();
        }

        foreach (var source in sources)
        {
            await source.DisposeAsync();
        }
    }
}
