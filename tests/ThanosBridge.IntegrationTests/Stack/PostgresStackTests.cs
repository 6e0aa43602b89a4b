using Npgsql;
using ThanosBridge.TestSupport;

namespace ThanosBridge.IntegrationTests.Stack;

/// <summary>The stack's PostgreSQL holds koku's source tables, seeded with the demo clusters.</summary>
public class PostgresStackTests
{
    // koku-ingestion.md §4.3: the active OCP clusters and whether the listener's exact-JSON lookup matches.
    private const string ActiveClustersSql = """
        SELECT a.credentials ->> 'cluster_id' AS cluster_id, s.org_id,
               (a.credentials = jsonb_build_object('cluster_id', a.credentials ->> 'cluster_id')) AS listener_match
        FROM public.api_sources s
        JOIN public.api_provider p               ON p.uuid = s.provider_id
        JOIN public.api_providerauthentication a ON a.id   = p.authentication_id
        JOIN public.api_customer c               ON c.id   = p.customer_id
        WHERE p.type = 'OCP' AND s.source_type = 'OCP' AND NOT s.pending_delete AND NOT s.paused AND NOT p.paused AND p.active
          AND COALESCE(a.credentials ->> 'cluster_id', '') <> ''
        ORDER BY c.schema_name, s.source_id
        """;

    [Fact]
    public async Task Row_RoundTripsThroughATable()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = NpgsqlDataSource.Create(StackEnvironment.Current.KokuConnectionString);
        var table = "roundtrip_" + Guid.NewGuid().ToString("N");
        // A temp table lives in one session: one connection for the whole round trip.
        await using var conn = await db.OpenConnectionAsync(ct);
        await using (var cmd = new NpgsqlCommand($"CREATE TEMP TABLE {table} (id int, note text)", conn))
        {
            await cmd.ExecuteNonQueryAsync(ct);
        }

        await using (var cmd = new NpgsqlCommand($"INSERT INTO {table} VALUES (@id, @note)", conn))
        {
            cmd.Parameters.AddWithValue("id", 42);
            cmd.Parameters.AddWithValue("note", "héllo, \"koku\"");
            await cmd.ExecuteNonQueryAsync(ct);
        }

        await using (var cmd = new NpgsqlCommand($"SELECT id, note FROM {table}", conn))
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            (await reader.ReadAsync(ct)).ShouldBeTrue();
            reader.GetInt32(0).ShouldBe(42);
            reader.GetString(1).ShouldBe("héllo, \"koku\"");
        }
    }

    [Fact]
    public async Task KokuDiscoverySql_ReturnsActiveSources_AndFlagsTheExtraCredentialKey()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = NpgsqlDataSource.Create(StackEnvironment.Current.KokuConnectionString);
        await using var cmd = db.CreateCommand(ActiveClustersSql);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var rows = new List<(string Cluster, string Org, bool Match)>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetBoolean(2)));
        }

        // Three listener-matching registered clusters, one source whose credentials carry an extra key;
        // paused and pending-delete sources are filtered out by the SQL itself.
        rows.Count(r => r.Match).ShouldBe(3);
        rows.Count(r => !r.Match).ShouldBe(1);
        rows.Select(r => r.Cluster).ShouldBeUnique();

        await using var all = db.CreateCommand("SELECT count(*) FROM public.api_sources WHERE paused OR pending_delete");
        ((long)(await all.ExecuteScalarAsync(ct))!).ShouldBe(2);
    }
}
