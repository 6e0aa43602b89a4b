using System.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ThanosBridge.Adapters.Ledger;

/// <summary>
/// What differs between the ledger's two databases: connecting, migrating, locking a cluster-day and naming a unique
/// violation. Everything else is the one EF Core model and <see cref="DatabaseLedger"/>.
/// </summary>
internal abstract class LedgerDatabase : IAsyncDisposable
{
    /// <summary>Where the ledger lives, for logs.</summary>
    public abstract string Location { get; }

    /// <summary>The isolation of a read that must see one state of several tables.</summary>
    public abstract IsolationLevel ConsistentRead { get; }

    public abstract LedgerDbContext NewContext();

    /// <summary>Creates or upgrades the ledger's tables; safe when several processes start at once.</summary>
    public abstract Task MigrateAsync(ILogger logger, TimeProvider timeProvider, CancellationToken cancellationToken);

    /// <summary>
    /// Locks the cluster-day for the rest of the transaction, creating its row first when <paramref name="create"/>, so
    /// writers of one day run one after the other.
    /// </summary>
    public abstract Task LockDayAsync(LedgerDbContext db, string clusterId, DateOnly day, DateTimeOffset now, bool create, CancellationToken cancellationToken);

    /// <summary>The unique index or key a failed write would have violated, or null when it failed for another reason.</summary>
    public abstract string? UniqueConstraintOf(DbUpdateException exception);

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Applies the model's pending migrations and logs what was applied, or that the storage is newer than this build.</summary>
    protected static async Task ApplyMigrationsAsync(LedgerDbContext db, string location, ILogger logger, CancellationToken cancellationToken)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            // Only then: MigrateAsync builds the design-time model to look for changes without a migration, ~0.3 s of a start.
            await db.Database.MigrateAsync(cancellationToken);
        }

        foreach (var migration in pending)
        {
            Log.MigrationApplied(logger, location, migration);
        }

        var known = db.Database.GetMigrations().ToHashSet(StringComparer.Ordinal);
        var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).ToList();
        if (applied.FirstOrDefault(m => !known.Contains(m)) is { } unknown)
        {
            Log.StorageNewer(logger, location, applied[^1], known.Max(StringComparer.Ordinal)!);
        }
        else if (pending.Count == 0)
        {
            Log.SchemaCurrent(logger, location, applied.Count == 0 ? "none" : applied[^1]);
        }
    }

    /// <summary>Creates the cluster-day row if it is missing (one statement, so two writers cannot both insert it).</summary>
    /// <param name="sql">The dialect's constant INSERT … ON CONFLICT DO NOTHING with the parameters {0} cluster, {1} day, {2} now.</param>
    protected static Task InsertDayAsync(LedgerDbContext db, string sql, string clusterId, DateOnly day, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync(sql, [clusterId, day, now], cancellationToken);

    /// <summary>The INSERT of <see cref="InsertDayAsync"/> for a table.</summary>
    protected const string InsertDayColumns =
        " (cluster_id, day, failed_attempts, last_error, updated_at) VALUES ({0}, {1}, 0, NULL, {2}) ON CONFLICT (cluster_id, day) DO NOTHING";
}

internal static class LedgerDbContextOptions
{
    /// <summary>
    /// MigrateAsync would otherwise build the design-time model to warn about model changes without a migration (~0.3 s
    /// of every first start); LedgerModelTests fails the build on such a change instead.
    /// </summary>
    public static DbContextOptionsBuilder<T> WithoutModelDiffAtStartUp<T>(this DbContextOptionsBuilder<T> builder)
        where T : DbContext =>
        builder.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
}

/// <summary>
/// koku's PostgreSQL, schema <c>thanos_bridge</c>. Migrations run under a session advisory lock, so a second process
/// starting at the same time waits and then finds every migration applied; a day is locked with <c>SELECT … FOR UPDATE</c>.
/// </summary>
internal sealed class PostgresLedgerDatabase(NpgsqlDataSource dataSource) : LedgerDatabase
{
    /// <summary>Advisory lock key held while migrating ("TBLEDGER" in ASCII), the same key as the hand-written migrations used.</summary>
    internal const long MigrationLockKey = 0x5442_4C45_4447_4552;

    /// <summary>The table the hand-written migrations recorded their versions in, before the EF Core model.</summary>
    internal const string LegacyVersionTable = PostgresLedgerDbContext.Schema + ".schema_migrations";

    private const string Days = PostgresLedgerDbContext.Schema + ".cluster_days";
    private const string InsertDay = "INSERT INTO " + Days + InsertDayColumns;
    private const string LockDay = "SELECT 1 FROM " + Days + " WHERE cluster_id = {0} AND day = {1} FOR UPDATE";

    public override string Location => PostgresLedgerDbContext.Schema;

    public override IsolationLevel ConsistentRead => IsolationLevel.RepeatableRead;

    public override LedgerDbContext NewContext() => new PostgresLedgerDbContext(
        new DbContextOptionsBuilder<PostgresLedgerDbContext>()
            // A connection of the caller's data source per context: its pool, and one EF service provider for any data source.
            .UseNpgsql(dataSource.CreateConnection(), contextOwnsConnection: true,
                o => o.MigrationsHistoryTable(HistoryRepository.DefaultTableName, PostgresLedgerDbContext.Schema))
            .WithoutModelDiffAtStartUp()
            .Options);

    public override async Task MigrateAsync(ILogger logger, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        await using var lockConnection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", lockConnection))
        {
            take.Parameters.AddWithValue("key", MigrationLockKey);
            await take.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            await using var db = NewContext();
            await AdoptHandWrittenSchemaAsync(db, logger, cancellationToken);
            await ApplyMigrationsAsync(db, Location, logger, cancellationToken);
        }
        finally
        {
            // Also released when the session ends, should this fail.
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", lockConnection);
            release.Parameters.AddWithValue("key", MigrationLockKey);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    public override async Task LockDayAsync(LedgerDbContext db, string clusterId, DateOnly day, DateTimeOffset now, bool create, CancellationToken cancellationToken)
    {
        if (create)
        {
            await InsertDayAsync(db, InsertDay, clusterId, day, now, cancellationToken);
        }

        await db.Database.ExecuteSqlRawAsync(LockDay, [clusterId, day], cancellationToken);
    }

    public override string? UniqueConstraintOf(DbUpdateException exception) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } e ? e.ConstraintName ?? "a unique index" : null;

    /// <summary>
    /// A schema created by the hand-written migrations (version 1, the same tables, columns and constraints as the initial
    /// EF Core migration) is recorded as having that migration applied, so nothing is recreated and no snapshot is lost.
    /// Its version table stays, unread, so that the previous release still starts should it be rolled back to.
    /// </summary>
    private static async Task AdoptHandWrittenSchemaAsync(LedgerDbContext db, ILogger logger, CancellationToken cancellationToken)
    {
        var legacy = await db.Database
            .SqlQueryRaw<bool>($"SELECT to_regclass('{LegacyVersionTable}') IS NOT NULL AS \"Value\"")
            .SingleAsync(cancellationToken);
        if (!legacy)
        {
            return;
        }

        var versions = await db.Database.SqlQueryRaw<int>($"SELECT version AS \"Value\" FROM {LegacyVersionTable}").ToListAsync(cancellationToken);
        if (versions.Count == 0)
        {
            return;
        }

        var history = db.GetService<IHistoryRepository>();
        if (await history.ExistsAsync(cancellationToken) && (await history.GetAppliedMigrationsAsync(cancellationToken)).Count > 0)
        {
            return;
        }

        if (versions.Max() != 1)
        {
            throw new InvalidOperationException(
                $"The ledger schema {PostgresLedgerDbContext.Schema} is at hand-written version {versions.Max()}, which this build cannot take over; " +
                "start the release that created it, or restore the schema from a backup.");
        }

        var initial = db.Database.GetMigrations().First();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync(history.GetCreateIfNotExistsScript(), cancellationToken);
        await db.Database.ExecuteSqlRawAsync(history.GetInsertScript(new HistoryRow(initial, ProductInfo.GetVersion())), cancellationToken);
        await tx.CommitAsync(cancellationToken);
        Log.HandWrittenSchemaAdopted(logger, PostgresLedgerDbContext.Schema, initial);
    }
}

/// <summary>
/// The embedded mode's SQLite file. Every transaction begins IMMEDIATE (Microsoft.Data.Sqlite's default), which takes the
/// file's write lock: writers run one after the other, across processes too, and a busy lock is waited for up to the
/// command timeout.
/// </summary>
internal sealed class SqliteLedgerDatabase : LedgerDatabase
{
    /// <summary>The ledger's file under THANOS_BRIDGE_DATA_DIR.</summary>
    public const string FileName = "ledger.db";

    private const string InsertDay = "INSERT INTO cluster_days" + InsertDayColumns;

    private readonly string dataDirectory;
    private readonly string path;
    private readonly DbContextOptions<SqliteLedgerDbContext> options;

    public SqliteLedgerDatabase(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        this.dataDirectory = Path.GetFullPath(dataDirectory);
        path = Path.Combine(this.dataDirectory, FileName);
        var connection = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true, DefaultTimeout = 120 };
        options = new DbContextOptionsBuilder<SqliteLedgerDbContext>().UseSqlite(connection.ToString()).WithoutModelDiffAtStartUp().Options;
    }

    public override string Location => path;

    public override IsolationLevel ConsistentRead => IsolationLevel.Serializable;

    public override LedgerDbContext NewContext() => new SqliteLedgerDbContext(options);

    public override async Task MigrateAsync(ILogger logger, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataDirectory);
        await using var db = NewContext();

        // Readers do not wait for a writer, and a commit is durable once it returns (synchronous=FULL, SQLite's default).
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL", cancellationToken);
        await ApplyMigrationsAsync(db, Location, logger, cancellationToken);
        await FileLedgerImport.ImportAsync(db, dataDirectory, path, logger, cancellationToken);
    }

    public override Task LockDayAsync(LedgerDbContext db, string clusterId, DateOnly day, DateTimeOffset now, bool create, CancellationToken cancellationToken) =>
        create ? InsertDayAsync(db, InsertDay, clusterId, day, now, cancellationToken) : Task.CompletedTask;

    public override string? UniqueConstraintOf(DbUpdateException exception) =>
        exception.InnerException is SqliteException { SqliteErrorCode: 19 } e && e.Message.Contains("UNIQUE", StringComparison.Ordinal)
            ? e.Message switch
            {
                var m when m.Contains("snapshots.hours", StringComparison.Ordinal) => "snapshots_day_hours",
                var m when m.Contains("snapshots.cluster_id, snapshots.day", StringComparison.Ordinal) => "snapshots_one_pending",
                var m when m.Contains("snapshots.uuid", StringComparison.Ordinal) => "snapshots_pkey",
                var m => m,
            }
            : null;

    public override ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open (and its WAL); a test deleting the directory needs them closed.
        SqliteConnection.ClearAllPools();
        return base.DisposeAsync();
    }
}
