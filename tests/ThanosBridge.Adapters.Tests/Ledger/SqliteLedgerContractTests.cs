using Microsoft.Data.Sqlite;
using ThanosBridge.Adapters.Ledger;
using ThanosBridge.Core.Delivery;
using ThanosBridge.Core.Discovery;
using ThanosBridge.Core.Ledger;

namespace ThanosBridge.Adapters.Tests.Ledger;

/// <summary>
/// The ledger contract on the embedded mode's SQLite file in a temporary directory. Each ledger instance opens the file
/// on its own, as a second process would; a simulated crash fails the transaction just before its commit, which leaves
/// the file as a killed process does (SQLite's journal undoes an uncommitted transaction).
/// </summary>
public sealed class SqliteLedgerContractTests : LedgerContractTests
{
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "thanos-bridge-ledger-tests", Guid.NewGuid().ToString("N"));
    private readonly List<DatabaseLedger> opened = [];

    protected override ILedger OpenLedger(TimeProvider clock)
    {
        var ledger = DatabaseLedger.ForSqlite(dataDirectory, clock);
        lock (opened)
        {
            opened.Add(ledger);
        }

        return ledger;
    }

    protected override void CrashBeforeNextCommit(ILedger ledger) =>
        ((DatabaseLedger)ledger).BeforeCommit = (_, _) => throw new IOException("simulated crash before the commit");

    protected override async Task<IReadOnlyList<Guid>> StoredPayloadsAsync(ClusterId clusterId, DateOnly day)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "ledger.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(Ct);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            SELECT DISTINCT p.uuid FROM snapshot_parts p JOIN snapshots s ON s.uuid = p.uuid
            WHERE s.cluster_id = $cluster AND s.day = $day AND p.content IS NOT NULL
            """;
        cmd.Parameters.AddWithValue("$cluster", clusterId.Value);
        cmd.Parameters.AddWithValue("$day", LedgerRules.Format(day));
        await using var reader = await cmd.ExecuteReaderAsync(Ct);
        var uuids = new List<Guid>();
        while (await reader.ReadAsync(Ct))
        {
            uuids.Add(Guid.Parse(reader.GetString(0)));
        }

        return uuids;
    }

    protected override async ValueTask TearDownStorageAsync()
    {
        foreach (var ledger in opened)
        {
            await ledger.DisposeAsync();
        }

        if (Directory.Exists(dataDirectory))
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }
}
