// Over 300 lines on purpose: each ILedger method is one transaction on the EF Core model; the dialects are in
// LedgerDatabase.cs and the rules in Core/Ledger/LedgerRules.cs.
using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using ThanosBridge.Core.Confirmation;
using ThanosBridge.Core.Delivery;
using ThanosBridge.Core.Discovery;
using ThanosBridge.Core.Ledger;

namespace ThanosBridge.Adapters.Ledger;

/// <summary>
/// The ledger on its EF Core model (<see cref="LedgerDbContext"/>): koku's PostgreSQL in production, a SQLite file in
/// embedded mode (<see cref="LedgerDatabase"/>). Every write is one transaction that first locks the cluster-day, so
/// concurrent writers of one day (threads or processes) are serialized; the partial unique index backs the
/// one-pending rule. The rules themselves are <see cref="LedgerRules"/>, shared with nothing else.
/// </summary>
public sealed class DatabaseLedger : ILedger, IAsyncDisposable
{
    private const string Published = "published";

    private readonly LedgerDatabase database;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly SemaphoreSlim initializing = new(1, 1);
    private bool initialized;
    private int disposed;

    internal DatabaseLedger(LedgerDatabase database, TimeProvider timeProvider, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(timeProvider);
        this.database = database;
        this.timeProvider = timeProvider;
        this.logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The ledger in koku's PostgreSQL, schema <c>thanos_bridge</c>. The data source is the caller's to dispose.</summary>
    public static DatabaseLedger ForPostgres(NpgsqlDataSource dataSource, TimeProvider timeProvider, ILogger<DatabaseLedger>? logger = null) =>
        new(new PostgresLedgerDatabase(dataSource), timeProvider, logger);

    /// <summary>The ledger in <c>&lt;dataDirectory&gt;/ledger.db</c>, for runs without koku's database.</summary>
    public static DatabaseLedger ForSqlite(string dataDirectory, TimeProvider timeProvider, ILogger<DatabaseLedger>? logger = null) =>
        new(new SqliteLedgerDatabase(dataDirectory), timeProvider, logger);

    /// <summary>Where the ledger lives, for logs: the schema or the file.</summary>
    public string Location => database.Location;

    /// <summary>Test hook: runs inside each write transaction just before it commits (a crash simulation throws or kills the session).</summary>
    internal Func<DbConnection, CancellationToken, Task>? BeforeCommit { get; set; }

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref initialized))
        {
            return;
        }

        await initializing.WaitAsync(cancellationToken);
        try
        {
            if (!initialized)
            {
                await database.MigrateAsync(logger, timeProvider, cancellationToken);
                Volatile.Write(ref initialized, true);
            }
        }
        finally
        {
            initializing.Release();
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ClusterDayState>> GetDaysAsync(ClusterId cluster, DateOnly fromDay, CancellationToken cancellationToken) =>
        ReadDaysAsync(cluster, fromDay, DateOnly.MaxValue, cancellationToken);

    /// <inheritdoc />
    public async Task<ClusterDayState?> GetDayAsync(ClusterId cluster, DateOnly day, CancellationToken cancellationToken) =>
        (await ReadDaysAsync(cluster, day, day, cancellationToken)).SingleOrDefault();

    private async Task<IReadOnlyList<ClusterDayState>> ReadDaysAsync(ClusterId cluster, DateOnly fromDay, DateOnly toDay, CancellationToken cancellationToken)
    {
        var clusterId = cluster.Value;
        await using var db = database.NewContext();

        // One consistent view across the three reads.
        await using var tx = await db.Database.BeginTransactionAsync(database.ConsistentRead, cancellationToken);
        var days = await db.ClusterDays.AsNoTracking()
            .Where(d => d.ClusterId == clusterId && d.Day >= fromDay && d.Day <= toDay).OrderBy(d => d.Day).ToListAsync(cancellationToken);

        // The pending snapshot of each day, and the published one with the most hours (a day has a few at most).
        var snapshots = (await db.Snapshots.AsNoTracking().Where(s => s.ClusterId == clusterId && s.Day >= fromDay && s.Day <= toDay).ToListAsync(cancellationToken))
            .GroupBy(s => s.Day)
            .SelectMany(d => d.Where(s => s.State != Published).Concat(d.Where(s => s.State == Published).OrderByDescending(s => s.Hours).Take(1)))
            .ToList();
        var uuids = snapshots.Select(s => s.Uuid).ToList();
        var parts = uuids.Count == 0
            ? []
            : (await db.SnapshotParts.AsNoTracking().Where(p => uuids.Contains(p.Uuid)).ToListAsync(cancellationToken))
                .GroupBy(p => p.Uuid)
                .ToDictionary(
                    g => g.Key,
                    g => (IReadOnlyList<SnapshotPart>)[.. g.OrderBy(p => p.Idx).Select(p => new SnapshotPart(p.FileName, p.ObjectKey, p.Content ?? []))]);
        await tx.CommitAsync(cancellationToken);

        return [.. days.Select(d =>
        {
            SnapshotRecord? published = null;
            SnapshotRecord? pending = null;
            foreach (var row in snapshots.Where(s => s.Day == d.Day))
            {
                // Bytes dropped after a newer publish read as empty (only visible while the newest is being re-sent).
                var record = new SnapshotRecord(cluster, row.Day, row.Hours, row.Uuid, LedgerRules.ParseState(row.State),
                    parts.GetValueOrDefault(row.Uuid, []), row.Attempts, row.LastError, row.CreatedAt, row.UpdatedAt);
                if (row.State == Published)
                {
                    published = record;
                }
                else
                {
                    pending = record;
                }
            }

            return new ClusterDayState(cluster, d.Day, published, pending, d.FailedAttempts, d.LastError);
        })];
    }

    /// <inheritdoc />
    public async Task AddPackagedAsync(SnapshotRecord snapshot, CancellationToken cancellationToken)
    {
        LedgerRules.EnsureValidSnapshot(snapshot);
        var now = Now();
        var createdAt = snapshot.CreatedAt == default ? now : LedgerRules.Normalize(snapshot.CreatedAt);

        await using var db = database.NewContext();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        await database.LockDayAsync(db, snapshot.ClusterId.Value, snapshot.Day, now, create: true, cancellationToken);

        // The uuid is the primary key: it must not belong to another cluster-day.
        var owner = await db.Snapshots.AsNoTracking().Where(s => s.Uuid == snapshot.Uuid)
            .Select(s => new { s.ClusterId, s.Day }).FirstOrDefaultAsync(cancellationToken);
        if (owner is not null && (owner.ClusterId != snapshot.ClusterId.Value || owner.Day != snapshot.Day))
        {
            throw new InvalidOperationException(
                $"Snapshot uuid {snapshot.Uuid} is already used by cluster {owner.ClusterId} day {LedgerRules.Format(owner.Day)}.");
        }

        var kind = LedgerRules.DecideAdd(await ReadHeadsAsync(db, snapshot.ClusterId.Value, snapshot.Day, cancellationToken), snapshot);
        if (kind == AddKind.New)
        {
            db.Snapshots.Add(new SnapshotRow
            {
                Uuid = snapshot.Uuid,
                ClusterId = snapshot.ClusterId.Value,
                Day = snapshot.Day,
                Hours = snapshot.Hours,
                State = LedgerRules.StateName(SnapshotState.Packaged),
                CreatedAt = createdAt,
                UpdatedAt = now,
            });
        }
        else
        {
            await db.Snapshots.Where(s => s.Uuid == snapshot.Uuid).ExecuteUpdateAsync(
                s => s.SetProperty(r => r.State, LedgerRules.StateName(SnapshotState.Packaged)).SetProperty(r => r.UpdatedAt, now), cancellationToken);
            await db.SnapshotParts.Where(p => p.Uuid == snapshot.Uuid).ExecuteDeleteAsync(cancellationToken);
        }

        db.SnapshotParts.AddRange(snapshot.Parts.Select((part, i) => new SnapshotPartRow
        {
            Uuid = snapshot.Uuid,
            Idx = i,
            FileName = part.FileName,
            ObjectKey = part.ObjectKey,
            Content = part.Content,
        }));
        await SaveAsync(db, cancellationToken);
        await CommitAsync(db, tx, cancellationToken);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            var payloadBytes = LedgerRules.PayloadBytes(snapshot.Parts);
            Log.SnapshotPackaged(logger, snapshot.Uuid, snapshot.ClusterId.Value, snapshot.Day, snapshot.Hours, snapshot.Parts.Count, payloadBytes, kind == AddKind.Resend);
        }
    }

    /// <inheritdoc />
    public async Task MarkAsync(ClusterId cluster, DateOnly day, Guid uuid, SnapshotState state, CancellationToken cancellationToken)
    {
        var clusterId = cluster.Value;
        LedgerRules.EnsureMarkTarget(state);
        var now = Now();

        await using var db = database.NewContext();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        await database.LockDayAsync(db, clusterId, day, now, create: false, cancellationToken);
        var current = (await ReadHeadsAsync(db, clusterId, day, cancellationToken)).FirstOrDefault(h => h.Uuid == uuid);
        if (current.Uuid != uuid)
        {
            throw new InvalidOperationException($"Cluster {clusterId} day {LedgerRules.Format(day)} has no snapshot {uuid}.");
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
            await db.Snapshots.Where(s => s.Uuid == uuid).ExecuteUpdateAsync(
                s => s.SetProperty(r => r.State, LedgerRules.StateName(SnapshotState.Uploaded)).SetProperty(r => r.UpdatedAt, now), cancellationToken);
        }
        else
        {
            await db.Snapshots.Where(s => s.Uuid == uuid).ExecuteUpdateAsync(
                s => s.SetProperty(r => r.State, Published).SetProperty(r => r.UpdatedAt, now).SetProperty(r => r.PublishedAt, now)
                    .SetProperty(r => r.AnnouncedAt, now), cancellationToken);
            await db.ClusterDays.Where(d => d.ClusterId == clusterId && d.Day == day).ExecuteUpdateAsync(
                d => d.SetProperty(r => r.FailedAttempts, 0).SetProperty(r => r.LastError, (string?)null).SetProperty(r => r.UpdatedAt, now),
                cancellationToken);

            // The newly published snapshot is the newest of the day: the older payloads are no longer needed.
            var older = db.Snapshots.Where(s => s.ClusterId == clusterId && s.Day == day && s.Uuid != uuid).Select(s => s.Uuid);
            var stored = db.SnapshotParts.Where(p => p.Content != null && older.Contains(p.Uuid));
            dropped = await stored.Select(p => p.Uuid).Distinct().CountAsync(cancellationToken);
            await stored.ExecuteUpdateAsync(p => p.SetProperty(r => r.Content, (byte[]?)null), cancellationToken);
        }

        await CommitAsync(db, tx, cancellationToken);
        Log.SnapshotMarked(logger, uuid, clusterId, day, current.State, state);
        if (dropped > 0)
        {
            Log.PayloadsDropped(logger, dropped, clusterId, day);
        }
    }

    /// <inheritdoc />
    public async Task RecordFailureAsync(ClusterId cluster, DateOnly day, Guid? uuid, string message, CancellationToken cancellationToken)
    {
        var clusterId = cluster.Value;
        var error = LedgerRules.TrimError(message);
        var now = Now();

        await using var db = database.NewContext();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        await database.LockDayAsync(db, clusterId, day, now, create: true, cancellationToken);
        var thisDay = db.ClusterDays.Where(d => d.ClusterId == clusterId && d.Day == day);
        await thisDay.ExecuteUpdateAsync(
            d => d.SetProperty(r => r.FailedAttempts, r => r.FailedAttempts + 1).SetProperty(r => r.LastError, error).SetProperty(r => r.UpdatedAt, now),
            cancellationToken);
        var failedAttempts = await thisDay.Select(d => d.FailedAttempts).SingleAsync(cancellationToken);
        if (uuid is { } id)
        {
            // A uuid the ledger does not know (its AddPackagedAsync failed) still counts for the day.
            await db.Snapshots.Where(s => s.Uuid == id && s.ClusterId == clusterId && s.Day == day).ExecuteUpdateAsync(
                s => s.SetProperty(r => r.Attempts, r => r.Attempts + 1).SetProperty(r => r.LastError, error).SetProperty(r => r.UpdatedAt, now),
                cancellationToken);
        }

        await CommitAsync(db, tx, cancellationToken);
        Log.FailureRecorded(logger, failedAttempts, clusterId, day, uuid);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<ClusterId, DateTimeOffset>> GetLastDeliveredAsync(CancellationToken cancellationToken)
    {
        await using var db = database.NewContext();
        var published = db.Snapshots.Where(s => s.State == Published);
        var lastDays = published.GroupBy(s => s.ClusterId).Select(g => new { ClusterId = g.Key, Day = g.Max(s => s.Day) });
        var rows = await published
            .Join(lastDays, s => new { s.ClusterId, s.Day }, l => new { l.ClusterId, l.Day }, (s, _) => s)
            .GroupBy(s => new { s.ClusterId, s.Day })
            .Select(g => new { g.Key.ClusterId, g.Key.Day, Hours = g.Max(s => s.Hours) })
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(r => ClusterId.Parse(r.ClusterId), r => LedgerRules.DeliveredUntil(r.Day, r.Hours));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PublishedSnapshot>> GetPublishedAsync(DateOnly fromDay, bool includeFinal, CancellationToken cancellationToken)
    {
        var completed = KokuStatuses.Name(KokuStatus.Completed);
        var superseded = KokuStatuses.Name(KokuStatus.Superseded);
        await using var db = database.NewContext();
        await using var tx = await db.Database.BeginTransactionAsync(database.ConsistentRead, cancellationToken);
        var published = db.Snapshots.AsNoTracking().Where(s => s.State == Published && s.Day >= fromDay);
        var rows = await published
            .Where(s => includeFinal || s.KokuStatus == null || (s.KokuStatus != completed && s.KokuStatus != superseded))
            .Select(s => new { s.ClusterId, s.Day, s.Hours, s.Uuid, s.PublishedAt, s.AnnouncedAt, s.Reannouncements, s.KokuStatus })
            .ToListAsync(cancellationToken);

        // The day's latest: the published snapshot with the most hours (koku keeps the one with more, §1.10).
        var latest = (await published.GroupBy(s => new { s.ClusterId, s.Day })
                .Select(g => new { g.Key.ClusterId, g.Key.Day, Hours = g.Max(s => s.Hours) })
                .ToListAsync(cancellationToken))
            .ToDictionary(d => (d.ClusterId, d.Day), d => d.Hours);
        await tx.CommitAsync(cancellationToken);
        return [.. rows
            .OrderBy(r => r.Day).ThenBy(r => r.ClusterId, StringComparer.Ordinal).ThenBy(r => r.Hours)
            .Select(r => new PublishedSnapshot(ClusterId.Parse(r.ClusterId), r.Day, r.Hours, r.Uuid,
                latest.GetValueOrDefault((r.ClusterId, r.Day)) == r.Hours, r.PublishedAt!.Value, r.AnnouncedAt ?? r.PublishedAt!.Value,
                r.Reannouncements, r.KokuStatus is null ? null : KokuStatuses.Parse(r.KokuStatus)))];
    }

    /// <inheritdoc />
    public async Task RecordKokuStatusesAsync(IReadOnlyList<KokuStatusUpdate> updates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(updates);
        if (updates.Count == 0)
        {
            return;
        }

        var now = Now();
        await using var db = database.NewContext();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var update in updates)
        {
            var status = KokuStatuses.Name(update.Status);
            DateTimeOffset? completedAt = update.CompletedAt is { } at ? LedgerRules.Normalize(at) : null;
            await db.Snapshots.Where(s => s.Uuid == update.Uuid && s.State == Published).ExecuteUpdateAsync(
                s => s.SetProperty(r => r.KokuStatus, status).SetProperty(r => r.KokuCheckedAt, now).SetProperty(r => r.KokuCompletedAt, completedAt),
                cancellationToken);
        }

        await CommitAsync(db, tx, cancellationToken);
        Log.KokuStatusesRecorded(logger, updates.Count);
    }

    /// <inheritdoc />
    public async Task RecordReannouncedAsync(ClusterId cluster, DateOnly day, Guid uuid, CancellationToken cancellationToken)
    {
        var clusterId = cluster.Value;
        var now = Now();
        var awaiting = KokuStatuses.Name(KokuStatus.Awaiting);
        await using var db = database.NewContext();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        await database.LockDayAsync(db, clusterId, day, now, create: false, cancellationToken);
        var changed = await db.Snapshots.Where(s => s.Uuid == uuid && s.ClusterId == clusterId && s.Day == day && s.State == Published).ExecuteUpdateAsync(
            s => s.SetProperty(r => r.Reannouncements, r => r.Reannouncements + 1).SetProperty(r => r.AnnouncedAt, now)
                .SetProperty(r => r.KokuStatus, awaiting).SetProperty(r => r.UpdatedAt, now),
            cancellationToken);
        if (changed == 0)
        {
            throw new InvalidOperationException($"Cluster {clusterId} day {LedgerRules.Format(day)} has no published snapshot {uuid}.");
        }

        await CommitAsync(db, tx, cancellationToken);
        Log.SnapshotReannounced(logger, uuid, clusterId, day);
    }

    public ValueTask DisposeAsync()
    {
        // Idempotent: a container that registers this as itself and as ILedger disposes it twice.
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return ValueTask.CompletedTask;
        }

        initializing.Dispose();
        return database.DisposeAsync();
    }

    private static async Task<List<SnapshotHead>> ReadHeadsAsync(LedgerDbContext db, string clusterId, DateOnly day, CancellationToken cancellationToken) =>
        [.. (await db.Snapshots.AsNoTracking().Where(s => s.ClusterId == clusterId && s.Day == day)
            .Select(s => new { s.Uuid, s.Hours, s.State }).ToListAsync(cancellationToken))
            .Select(s => new SnapshotHead(s.Uuid, s.Hours, LedgerRules.ParseState(s.State)))];

    private async Task SaveAsync(LedgerDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (database.UniqueConstraintOf(e) is { } constraint)
        {
            // The partial unique index or a primary key caught a rule the checks above would have refused.
            throw new InvalidOperationException($"The ledger refused the write: {constraint} would be violated.", e);
        }
    }

    private async Task CommitAsync(LedgerDbContext db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction tx, CancellationToken cancellationToken)
    {
        if (BeforeCommit is { } hook)
        {
            await hook(db.Database.GetDbConnection(), cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
    }

    private DateTimeOffset Now() => LedgerRules.Normalize(timeProvider.GetUtcNow());
}
