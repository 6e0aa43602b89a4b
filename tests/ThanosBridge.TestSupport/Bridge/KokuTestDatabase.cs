using Npgsql;

namespace ThanosBridge.TestSupport.Bridge;

/// <summary>
/// A throwaway copy of koku's database on the stack's PostgreSQL: created from stack/koku/schema.sql and seed.sql,
/// owned by the koku role, dropped on dispose. Gives each end-to-end test its own koku tables and bridge ledger.
/// </summary>
public sealed class KokuTestDatabase : IAsyncDisposable
{
    private KokuTestDatabase(string name) => Name = name;

    public string Name { get; }

    public string ConnectionString =>
        new NpgsqlConnectionStringBuilder(StackEnvironment.Current.KokuConnectionString) { Database = Name }.ConnectionString;

    public static async Task<KokuTestDatabase> CreateAsync(CancellationToken ct)
    {
        var db = new KokuTestDatabase("koku_test_" + Guid.NewGuid().ToString("N")[..12]);
        await using (var admin = new NpgsqlConnection(AdminConnectionString("postgres")))
        {
            await admin.OpenAsync(ct);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {db.Name} OWNER {StackEnvironment.Current["DATABASE_USER"]}", admin);
            await create.ExecuteNonQueryAsync(ct);
        }

        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync(ct);
        foreach (var file in new[] { "schema.sql", "seed.sql" })
        {
            var sql = await File.ReadAllTextAsync(Path.Combine(StackEnvironment.RepositoryRoot, "stack", "koku", file), ct);
            await using var cmd = new NpgsqlCommand(sql, conn);
            await cmd.ExecuteNonQueryAsync(ct);
        }

        return db;
    }

    public async Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> map, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand(sql, conn);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var rows = new List<T>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(AdminConnectionString("postgres"));
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>The stack's superuser is trusted on loopback (scripts/stack.sh); only tests use it.</summary>
    private static string AdminConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(StackEnvironment.Current.KokuConnectionString)
        {
            Username = "postgres",
            Password = null,
            Database = database,
        }.ConnectionString;
}
