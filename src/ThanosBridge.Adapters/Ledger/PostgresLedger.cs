using System.Data;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using ThanosBridge.Core.Delivery;

namespace ThanosBridge.Adapters.Ledger;

/// <summary>
/// The ledger in koku's PostgreSQL, in its own schema (<see cref="DefaultSchema"/>), created and migrated by
/// <see cref="InitializeAsync"/>. Every write is one transaction that first locks the cluster-day row, so concurrent
/// writers of one day (threads or processes) are serialized; a partial unique index backs the one-pending rule.
/// The data source is not owned: the caller disposes it.
/// </summary>
public sealed partial class PostgresLedger : ILedger
{
    public const string DefaultSchema = "thanos_bridge";

    /// <summary>Advisory lock key held while migrating ("TBLEDGER" in ASCII), so that two starting processes migrate one after the other.</summary>
    internal const long MigrationLockKey = 0x5442_4C45_4447_4552;

    private const string SnapshotColumns =
        "s.uuid, s.cluster_id, s.day, s.hours, s.state, s.attempts, s.last_error, s.created_at, s.updated_at";

    private readonly NpgsqlDataSource dataSource;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly string schema;

    public PostgresLedger(NpgsqlDataSource dataSource, TimeProvider timeProvider, ILogger<PostgresLedger>? logger = null)
        : this(dataSource, timeProvider, logger, DefaultSchema)
    {
    }

    /// <param name="schema">Tests use a throw-away schema; lower-case letters, digits and '_' only.</param>
    internal PostgresLedger(NpgsqlDataSource dataSource, TimeProvider timeProvider, ILogger? logger, string schema)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(schema);
        if (!SchemaName().IsMatch(schema))
        {
            throw new ArgumentException($"'{schema}' is not a plain lower-case schema name.", nameof(schema));
        }

        this.dataSource = dataSource;
        this.timeProvider = timeProvider;
        this.logger = logger ?? NullLogger.Instance;
        this.schema = schema;
    }

    /// <summary>The schema the ledger's tables live in.</summary>
    public string Schema => schema;

    /// <summary>Test hook: runs inside each write transaction just before it commits (a crash simulation throws or kills the session).</summary>
    internal Func<NpgsqlConnection, CancellationToken, Task>? BeforeCommit { get; set; }

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var applied = new List<LedgerMigration>();
        int storedVersion;
        await using (var conn = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var tx = await conn.BeginTransactionAsync(cancellationToken))
        {
            // Held until commit: a second process waits here, then finds every version applied.
            await using (var lockCmd = Command(conn, tx, "SELECT pg_advisory_xact_lock(@key)"))
            {
                lockCmd.Parameters.AddWithValue("key", MigrationLockKey);
                await lockCmd.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var exists = Command(conn, tx, PostgresLedgerMigrations.SchemaExists))
            {
                exists.Parameters.AddWithValue("schema", schema);
                if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
                {
                    await using var create = Command(conn, tx, PostgresLedgerMigrations.CreateSchema);
                    await create.ExecuteNonQueryAsync(cancellationToken);
                }
            }

            await using (var bootstrap = Command(conn, tx, PostgresLedgerMigrations.Bootstrap))
            {
                await bootstrap.ExecuteNonQueryAsync(cancellationToken);
            }

            var versions = new HashSet<int>();
            await using (var read = Command(conn, tx, "SELECT version FROM {schema}.schema_migrations"))
            await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    versions.Add(reader.GetInt32(0));
                }
            }

            storedVersion = versions.Count == 0 ? 0 : versions.Max();
            foreach (var migration in PostgresLedgerMigrations.All)
            {
                if (versions.Contains(migration.Version))
                {
                    continue;
                }

                await using (var apply = Command(conn, tx, migration.Sql))
                {
                    await apply.ExecuteNonQueryAsync(cancellationToken);
                }

                await using (var record = Command(
                    conn, tx, "INSERT INTO {schema}.schema_migrations (version, name, applied_at) VALUES (@version, @name, @now)"))
                {
                    record.Parameters.AddWithValue("version", migration.Version);
                    record.Parameters.AddWithValue("name", migration.Name);
                    record.Parameters.AddWithValue("now", Now());
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }

                applied.Add(migration);
            }

            await tx.CommitAsync(cancellationToken);
        }

        foreach (var migration in applied)
        {
            Log.MigrationApplied(logger, schema, migration.Version, migration.Name);
        }

        if (storedVersion > PostgresLedgerMigrations.LatestVersion)
        {
            Log.StorageNewer(logger, schema, storedVersion, PostgresLedgerMigrations.LatestVersion);
        }
        else if (applied.Count == 0)
        {
            Log.SchemaCurrent(logger, schema, storedVersion);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ClusterDayState>> GetDaysAsync(string clusterId, DateOnly fromDay, CancellationToken cancellationToken)
    {
        LedgerRules.EnsureValidClusterId(clusterId);
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);

        // One consistent view across the three reads.
        await using var tx = await conn.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var days = new List<(DateOnly Day, int FailedAttempts, string? LastError)>();
        await using (var cmd = Command(conn, tx, """
            SELECT day, failed_attempts, last_error FROM {schema}.cluster_days
            WHERE cluster_id = @cluster AND day >= @from ORDER BY day
            """))
        {
            cmd.Parameters.AddWithValue("cluster", clusterId);
            cmd.Parameters.AddWithValue("from", fromDay);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                days.Add((reader.GetFieldValue<DateOnly>(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
            }
        }

        // The pending snapshot of each day, and the published one with the most hours.
        var snapshots = new List<SnapshotRow>();
        await using (var cmd = Command(conn, tx, $$"""
            SELECT {{SnapshotColumns}} FROM {schema}.snapshots s
            WHERE s.cluster_id = @cluster AND s.day >= @from AND s.state <> 'published'
            UNION ALL
            (SELECT DISTINCT ON (s.day) {{SnapshotColumns}} FROM {schema}.snapshots s
             WHERE s.cluster_id = @cluster AND s.day >= @from AND s.state = 'published'
             ORDER BY s.day, s.hours DESC)
            """))
        {
            cmd.Parameters.AddWithValue("cluster", clusterId);
            cmd.Parameters.AddWithValue("from", fromDay);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                snapshots.Add(ReadSnapshot(reader));
            }
        }

        var parts = new Dictionary<Guid, List<SnapshotPart>>();
        if (snapshots.Count > 0)
        {
            await using var cmd = Command(conn, tx, """
                SELECT uuid, file_name, object_key, content FROM {schema}.snapshot_parts
                WHERE uuid = ANY(@uuids) ORDER BY uuid, idx
                """);
            cmd.Parameters.AddWithValue("uuids", snapshots.Select(s => s.Uuid).ToArray());
            await using var reader = await cmd.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var uuid = reader.GetGuid(0);
                var fileName = reader.GetString(1);
                var objectKey = reader.GetString(2);

                // Bytes dropped after a newer publish read as empty (only visible while the newest is being re-sent).
                var content = await reader.IsDBNullAsync(3, cancellationToken) ? [] : await reader.GetFieldValueAsync<byte[]>(3, cancellationToken);
                if (!parts.TryGetValue(uuid, out var list))
                {
                    parts[uuid] = list = [];
                }

                list.Add(new SnapshotPart(fileName, objectKey, content));
            }
        }

        await tx.CommitAsync(cancellationToken);

        var result = new List<ClusterDayState>(days.Count);
        foreach (var (day, failedAttempts, lastError) in days)
        {
            SnapshotRecord? published = null;
            SnapshotRecord? pending = null;
            foreach (var row in snapshots.Where(s => s.Day == day))
            {
                var record = row.ToRecord(parts.TryGetValue(row.Uuid, out var p) ? p : []);
                if (row.State == SnapshotState.Published)
                {
                    published = record;
                }
                else
                {
                    pending = record;
                }
            }

            result.Add(new ClusterDayState(clusterId, day, published, pending, failedAttempts, lastError));
        }

        return result;
    }

    /// <inheritdoc />
    public async Task AddPackagedAsync(SnapshotRecord snapshot, CancellationToken cancellationToken)
    {
        LedgerRules.EnsureValidSnapshot(snapshot);
        var now = Now();
        var createdAt = snapshot.CreatedAt == default ? now : LedgerRules.Normalize(snapshot.CreatedAt);

        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken);
        await LockDayAsync(conn, tx, snapshot.ClusterId, snapshot.Day, now, create: true, cancellationToken);

        // The uuid is the primary key: it must not belong to another cluster-day.
        await using (var cmd = Command(conn, tx, "SELECT cluster_id, day FROM {schema}.snapshots WHERE uuid = @uuid"))
        {
            cmd.Parameters.AddWithValue("uuid", snapshot.Uuid);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken)
                && (reader.GetString(0) != snapshot.ClusterId || reader.GetFieldValue<DateOnly>(1) != snapshot.Day))
            {
                throw new InvalidOperationException(
                    $"Snapshot uuid {snapshot.Uuid} is already used by cluster {reader.GetString(0)} day {LedgerRules.Format(reader.GetFieldValue<DateOnly>(1))}.");
            }
        }

        var heads = await ReadHeadsAsync(conn, tx, snapshot.ClusterId, snapshot.Day, cancellationToken);
        var kind = LedgerRules.DecideAdd(heads, snapshot);
        if (kind == AddKind.New)
        {
            await using var insert = Command(conn, tx, """
                INSERT INTO {schema}.snapshots (uuid, cluster_id, day, hours, state, attempts, last_error, created_at, updated_at, published_at)
                VALUES (@uuid, @cluster, @day, @hours, 'packaged', 0, NULL, @created, @now, NULL)
                """);
            insert.Parameters.AddWithValue("uuid", snapshot.Uuid);
            insert.Parameters.AddWithValue("cluster", snapshot.ClusterId);
            insert.Parameters.AddWithValue("day", snapshot.Day);
            insert.Parameters.AddWithValue("hours", snapshot.Hours);
            insert.Parameters.AddWithValue("created", createdAt);
            insert.Parameters.AddWithValue("now", now);
            await ExecuteAsync(insert, cancellationToken);
        }
        else
        {
            await using var update = Command(conn, tx, """
                UPDATE {schema}.snapshots SET state = 'packaged', updated_at = @now WHERE uuid = @uuid;
                DELETE FROM {schema}.snapshot_parts WHERE uuid = @uuid;
                """);
            update.Parameters.AddWithValue("uuid", snapshot.Uuid);
            update.Parameters.AddWithValue("now", now);
            await ExecuteAsync(update, cancellationToken);
        }

        for (var i = 0; i < snapshot.Parts.Count; i++)
        {
            var part = snapshot.Parts[i];
            await using var insertPart = Command(conn, tx, """
                INSERT INTO {schema}.snapshot_parts (uuid, idx, file_name, object_key, content)
                VALUES (@uuid, @idx, @file, @key, @content)
                """);
            insertPart.Parameters.AddWithValue("uuid", snapshot.Uuid);
            insertPart.Parameters.AddWithValue("idx", i);
            insertPart.Parameters.AddWithValue("file", part.FileName);
            insertPart.Parameters.AddWithValue("key", part.ObjectKey);
            insertPart.Parameters.AddWithValue("content", NpgsqlDbType.Bytea, part.Content);
            await ExecuteAsync(insertPart, cancellationToken);
        }

        await CommitAsync(conn, tx, cancellationToken);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            var payloadBytes = LedgerRules.PayloadBytes(snapshot.Parts);
            Log.SnapshotPackaged(
                logger, snapshot.Uuid, snapshot.ClusterId, snapshot.Day, snapshot.Hours, snapshot.Parts.Count, payloadBytes, kind == AddKind.Resend);
        }
    }

    /// <inheritdoc />
    public async Task MarkAsync(string clusterId, DateOnly day, Guid uuid, SnapshotState state, CancellationToken cancellationToken)
    {
        LedgerRules.EnsureValidClusterId(clusterId);
        LedgerRules.EnsureMarkTarget(state);
        var now = Now();

        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken);
        await LockDayAsync(conn, tx, clusterId, day, now, create: false, cancellationToken);
        var heads = await ReadHeadsAsync(conn, tx, clusterId, day, cancellationToken);
        var current = heads.FirstOrDefault(h => h.Uuid == uuid);
        if (current.Uuid != uuid)
        {
            throw UnknownSnapshot(clusterId, day, uuid);
        }

        if (!LedgerRules.DecideMark(uuid, current.State, state))
        {
            await tx.RollbackAsync(cancellationToken);
            Log.AlreadyPublished(logger, uuid, clusterId, day);
            return;
        }

        var dropped = 0;
        if (state == SnapshotState.Uploaded)
        {
            await using var update = Command(conn, tx, "UPDATE {schema}.snapshots SET state = 'uploaded', updated_at = @now WHERE uuid = @uuid");
            update.Parameters.AddWithValue("uuid", uuid);
            update.Parameters.AddWithValue("now", now);
            await ExecuteAsync(update, cancellationToken);
        }
        else
        {
            await using (var publish = Command(conn, tx, """
                UPDATE {schema}.snapshots SET state = 'published', updated_at = @now, published_at = @now WHERE uuid = @uuid;
                UPDATE {schema}.cluster_days SET failed_attempts = 0, last_error = NULL, updated_at = @now
                WHERE cluster_id = @cluster AND day = @day;
                """))
            {
                publish.Parameters.AddWithValue("uuid", uuid);
                publish.Parameters.AddWithValue("cluster", clusterId);
                publish.Parameters.AddWithValue("day", day);
                publish.Parameters.AddWithValue("now", now);
                await ExecuteAsync(publish, cancellationToken);
            }

            // The newly published snapshot is the newest of the day: the older payloads are no longer needed.
            await using var drop = Command(conn, tx, """
                WITH cleared AS (
                    UPDATE {schema}.snapshot_parts p SET content = NULL
                    FROM {schema}.snapshots s
                    WHERE p.uuid = s.uuid AND s.cluster_id = @cluster AND s.day = @day AND s.uuid <> @uuid AND p.content IS NOT NULL
                    RETURNING p.uuid)
                SELECT count(DISTINCT uuid)::integer FROM cleared
                """);
            drop.Parameters.AddWithValue("uuid", uuid);
            drop.Parameters.AddWithValue("cluster", clusterId);
            drop.Parameters.AddWithValue("day", day);
            dropped = (int)(await drop.ExecuteScalarAsync(cancellationToken) ?? 0);
        }

        await CommitAsync(conn, tx, cancellationToken);
        Log.SnapshotMarked(logger, uuid, clusterId, day, current.State, state);
        if (dropped > 0)
        {
            Log.PayloadsDropped(logger, dropped, clusterId, day);
        }
    }

    /// <inheritdoc />
    public async Task RecordFailureAsync(string clusterId, DateOnly day, Guid? uuid, string message, CancellationToken cancellationToken)
    {
        LedgerRules.EnsureValidClusterId(clusterId);
        var error = LedgerRules.TrimError(message);
        var now = Now();

        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken);
        int failedAttempts;
        await using (var upsert = Command(conn, tx, """
            INSERT INTO {schema}.cluster_days AS d (cluster_id, day, failed_attempts, last_error, updated_at)
            VALUES (@cluster, @day, 1, @error, @now)
            ON CONFLICT (cluster_id, day) DO UPDATE
            SET failed_attempts = d.failed_attempts + 1, last_error = EXCLUDED.last_error, updated_at = EXCLUDED.updated_at
            RETURNING failed_attempts
            """))
        {
            upsert.Parameters.AddWithValue("cluster", clusterId);
            upsert.Parameters.AddWithValue("day", day);
            upsert.Parameters.AddWithValue("error", error);
            upsert.Parameters.AddWithValue("now", now);
            failedAttempts = (int)(await upsert.ExecuteScalarAsync(cancellationToken))!;
        }

        if (uuid is { } id)
        {
            await using var update = Command(conn, tx, """
                UPDATE {schema}.snapshots SET attempts = attempts + 1, last_error = @error, updated_at = @now
                WHERE uuid = @uuid AND cluster_id = @cluster AND day = @day
                """);
            update.Parameters.AddWithValue("uuid", id);
            update.Parameters.AddWithValue("cluster", clusterId);
            update.Parameters.AddWithValue("day", day);
            update.Parameters.AddWithValue("error", error);
            update.Parameters.AddWithValue("now", now);
            // A uuid the ledger does not know (its AddPackagedAsync failed) still counts for the day.
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        await CommitAsync(conn, tx, cancellationToken);
        Log.FailureRecorded(logger, failedAttempts, clusterId, day, uuid);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> GetLastDeliveredAsync(CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var cmd = Command(conn, null, """
            SELECT DISTINCT ON (cluster_id) cluster_id, day, hours FROM {schema}.snapshots
            WHERE state = 'published' ORDER BY cluster_id, day DESC, hours DESC
            """);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var result = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            result[reader.GetString(0)] = LedgerRules.DeliveredUntil(reader.GetFieldValue<DateOnly>(1), reader.GetInt32(2));
        }

        return result;
    }

    private static InvalidOperationException UnknownSnapshot(string clusterId, DateOnly day, Guid uuid) =>
        new($"Cluster {clusterId} day {LedgerRules.Format(day)} has no snapshot {uuid}.");

    private static async Task ExecuteAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // The partial unique index or a primary key caught a rule the checks above would have refused.
            throw new InvalidOperationException($"The ledger refused the write: {e.ConstraintName} would be violated.", e);
        }
    }

    private static SnapshotRow ReadSnapshot(NpgsqlDataReader reader) => new(
        reader.GetGuid(0),
        reader.GetString(1),
        reader.GetFieldValue<DateOnly>(2),
        reader.GetInt32(3),
        LedgerRules.ParseState(reader.GetString(4)),
        reader.GetInt32(5),
        reader.IsDBNull(6) ? null : reader.GetString(6),
        reader.GetFieldValue<DateTimeOffset>(7),
        reader.GetFieldValue<DateTimeOffset>(8));

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaName();

    private DateTimeOffset Now() => LedgerRules.Normalize(timeProvider.GetUtcNow());

    private NpgsqlCommand Command(NpgsqlConnection conn, NpgsqlTransaction? tx, string sql) =>
        new(sql.Replace("{schema}", schema, StringComparison.Ordinal), conn, tx);

    /// <summary>Locks the cluster-day row for the rest of the transaction (creating it first when <paramref name="create"/>).</summary>
    private async Task LockDayAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, string clusterId, DateOnly day, DateTimeOffset now, bool create, CancellationToken cancellationToken)
    {
        if (create)
        {
            await using var insert = Command(conn, tx, """
                INSERT INTO {schema}.cluster_days (cluster_id, day, failed_attempts, last_error, updated_at)
                VALUES (@cluster, @day, 0, NULL, @now) ON CONFLICT (cluster_id, day) DO NOTHING
                """);
            insert.Parameters.AddWithValue("cluster", clusterId);
            insert.Parameters.AddWithValue("day", day);
            insert.Parameters.AddWithValue("now", now);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var select = Command(conn, tx, "SELECT 1 FROM {schema}.cluster_days WHERE cluster_id = @cluster AND day = @day FOR UPDATE");
        select.Parameters.AddWithValue("cluster", clusterId);
        select.Parameters.AddWithValue("day", day);
        _ = await select.ExecuteScalarAsync(cancellationToken);
    }

    private async Task<List<SnapshotHead>> ReadHeadsAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, string clusterId, DateOnly day, CancellationToken cancellationToken)
    {
        await using var cmd = Command(conn, tx, "SELECT uuid, hours, state FROM {schema}.snapshots WHERE cluster_id = @cluster AND day = @day");
        cmd.Parameters.AddWithValue("cluster", clusterId);
        cmd.Parameters.AddWithValue("day", day);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var heads = new List<SnapshotHead>();
        while (await reader.ReadAsync(cancellationToken))
        {
            heads.Add(new SnapshotHead(reader.GetGuid(0), reader.GetInt32(1), LedgerRules.ParseState(reader.GetString(2))));
        }

        return heads;
    }

    private async Task CommitAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken cancellationToken)
    {
        if (BeforeCommit is { } hook)
        {
            await hook(conn, cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
    }

    private sealed record SnapshotRow(
        Guid Uuid,
        string ClusterId,
        DateOnly Day,
        int Hours,
        SnapshotState State,
        int Attempts,
        string? LastError,
        DateTimeOffset CreatedAt,
        DateTimeOffset UpdatedAt)
    {
        public SnapshotRecord ToRecord(IReadOnlyList<SnapshotPart> parts) =>
            new(ClusterId, Day, Hours, Uuid, State, parts, Attempts, LastError, CreatedAt, UpdatedAt);
    }
}
