using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ThanosBridge.Core.Delivery;
using ThanosBridge.Core.Promql;

namespace ThanosBridge.Adapters.Ledger;

/// <summary>
/// The ledger as files under THANOS_BRIDGE_DATA_DIR, for runs without koku's database:
/// <code>
/// &lt;dir&gt;/ledger/format.json
/// &lt;dir&gt;/ledger/&lt;cluster_id&gt;/.lock
/// &lt;dir&gt;/ledger/&lt;cluster_id&gt;/&lt;YYYY-MM-DD&gt;/day.json                 (all metadata of the cluster-day)
/// &lt;dir&gt;/ledger/&lt;cluster_id&gt;/&lt;YYYY-MM-DD&gt;/&lt;uuid&gt;-&lt;idx&gt;-&lt;random&gt;.bin (payload bytes, never rewritten)
/// </code>
/// A write first writes and flushes new payload files, then writes <c>day.json</c> to a temporary file, flushes it
/// and renames it over the old one (then flushes the directory): the rename is the commit, so a crash leaves the old
/// or the new day. Files no longer referenced (dropped payloads, leftovers of an interrupted write) are removed after
/// the commit. Writers of one cluster are serialized by a per-cluster semaphore in the process and an exclusive lock
/// on <c>.lock</c> (FileShare.None) across processes.
/// </summary>
public sealed class FileLedger : ILedger, IDisposable
{
    /// <summary>The ledger's directory under the data directory.</summary>
    public const string DirectoryName = "ledger";

    /// <summary>Layout version written to format.json.</summary>
    internal const int FormatVersion = 1;

    /// <summary>How often a busy cluster lock is tried again.</summary>
    internal static readonly TimeSpan LockRetryDelay = TimeSpan.FromMilliseconds(50);

    /// <summary>How long a cluster lock held by another process is waited for.</summary>
    internal static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(2);

    private const string DayFileName = "day.json";
    private const string FormatFileName = "format.json";
    private const string LockFileName = ".lock";
    private const string PartExtension = ".bin";
    private const string TempExtension = ".tmp";

    private static readonly HashSet<string> NoFiles = [];

    private readonly string root;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private readonly Dictionary<string, SemaphoreSlim> clusterLocks = new(StringComparer.Ordinal);
    private bool disposed;

    /// <param name="dataDirectory">THANOS_BRIDGE_DATA_DIR; the ledger lives in its <see cref="DirectoryName"/> subdirectory.</param>
    public FileLedger(string dataDirectory, TimeProvider timeProvider, ILogger<FileLedger>? logger = null)
        : this(dataDirectory, timeProvider, (ILogger?)logger)
    {
    }

    internal FileLedger(string dataDirectory, TimeProvider timeProvider, ILogger? logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        ArgumentNullException.ThrowIfNull(timeProvider);
        root = Path.Combine(Path.GetFullPath(dataDirectory), DirectoryName);
        this.timeProvider = timeProvider;
        this.logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The ledger's root directory (<c>&lt;dataDirectory&gt;/ledger</c>).</summary>
    public string RootDirectory => root;

    /// <summary>Test hook: runs after the new day file is written and flushed, just before it is renamed into place (the commit).</summary>
    internal Func<string, CancellationToken, Task>? BeforeCommit { get; set; }

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var parent = Path.GetDirectoryName(root)!;
        Directory.CreateDirectory(parent);
        if (!Directory.Exists(root))
        {
            Directory.CreateDirectory(root);
            FlushDirectory(parent);
        }

        var formatPath = Path.Combine(root, FormatFileName);
        if (File.Exists(formatPath))
        {
            var stored = Deserialize(await File.ReadAllBytesAsync(formatPath, cancellationToken), formatPath, FileLedgerJson.Default.FormatDocument);
            if (stored.Format > FormatVersion)
            {
                Log.StorageNewer(logger, root, stored.Format, FormatVersion);
            }
        }
        else
        {
            // Two processes starting at once both write the same content; the last rename wins.
            var bytes = JsonSerializer.SerializeToUtf8Bytes(new FormatDocument(FormatVersion), FileLedgerJson.Default.FormatDocument);
            await WriteAtomicallyAsync(formatPath, bytes, beforeRename: null, cancellationToken);
        }

        Log.FileLedgerReady(logger, root, FormatVersion);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ClusterDayState>> GetDaysAsync(string clusterId, DateOnly fromDay, CancellationToken cancellationToken)
    {
        LedgerRules.EnsureValidClusterId(clusterId);
        return await WithClusterAsync<IReadOnlyList<ClusterDayState>>(clusterId, create: false, async clusterDir =>
        {
            var result = new List<ClusterDayState>();
            foreach (var (day, dayDir) in DayDirectories(clusterDir).Where(d => d.Day >= fromDay).OrderBy(d => d.Day))
            {
                if (await ReadDayAsync(dayDir, clusterId, day, cancellationToken) is not { } doc)
                {
                    continue;
                }

                var heads = Heads(doc);
                var published = LedgerRules.CurrentPublished(heads);
                var pending = LedgerRules.Pending(heads);
                result.Add(new ClusterDayState(
                    clusterId,
                    day,
                    published is { } pub ? await LoadAsync(doc, dayDir, pub.Uuid, cancellationToken) : null,
                    pending is { } pen ? await LoadAsync(doc, dayDir, pen.Uuid, cancellationToken) : null,
                    doc.FailedAttempts,
                    doc.LastError));
            }

            return result;
        }, cancellationToken) ?? [];
    }

    /// <inheritdoc />
    public async Task AddPackagedAsync(SnapshotRecord snapshot, CancellationToken cancellationToken)
    {
        LedgerRules.EnsureValidSnapshot(snapshot);
        var now = Now();
        var createdAt = snapshot.CreatedAt == default ? now : LedgerRules.Normalize(snapshot.CreatedAt);
        var kind = await WithClusterAsync(snapshot.ClusterId, create: true, async clusterDir =>
        {
            var dayDir = DayDirectory(clusterDir, snapshot.Day);
            var doc = await ReadDayAsync(dayDir, snapshot.ClusterId, snapshot.Day, cancellationToken)
                ?? new DayDocument(FormatVersion, snapshot.ClusterId, snapshot.Day, 0, null, now, []);
            var kind = LedgerRules.DecideAdd(Heads(doc), snapshot);

            var files = new List<(string Name, byte[] Content)>(snapshot.Parts.Count);
            var parts = new List<PartDocument>(snapshot.Parts.Count);
            for (var i = 0; i < snapshot.Parts.Count; i++)
            {
                var part = snapshot.Parts[i];
                var name = string.Create(
                    CultureInfo.InvariantCulture,
                    $"{snapshot.Uuid:N}-{i}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}{PartExtension}");
                files.Add((name, part.Content));
                parts.Add(new PartDocument(part.FileName, part.ObjectKey, name, part.Content.LongLength, LedgerRules.Sha256Hex(part.Content)));
            }

            var snapshots = kind == AddKind.New
                ? [.. doc.Snapshots, new SnapshotDocument(
                    snapshot.Uuid, snapshot.Hours, LedgerRules.StateName(SnapshotState.Packaged), 0, null, createdAt, now, null, parts)]
                : doc.Snapshots.Select(s => s.Uuid == snapshot.Uuid
                    ? s with { State = LedgerRules.StateName(SnapshotState.Packaged), UpdatedAt = now, Parts = parts }
                    : s).ToList();

            // A re-send replaces the files of the same uuid: the old ones are superseded, not leftovers.
            var superseded = doc.Snapshots.Where(s => s.Uuid == snapshot.Uuid).SelectMany(ContentFiles).ToHashSet(StringComparer.Ordinal);
            await CommitDayAsync(clusterDir, dayDir, doc with { Snapshots = snapshots }, files, superseded, cancellationToken);
            return kind;
        }, cancellationToken);

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
        var outcome = await WithClusterAsync<MarkOutcome?>(clusterId, create: false, async clusterDir =>
        {
            var dayDir = DayDirectory(clusterDir, day);
            var doc = await ReadDayAsync(dayDir, clusterId, day, cancellationToken);
            var current = doc?.Snapshots.FirstOrDefault(s => s.Uuid == uuid) ?? throw UnknownSnapshot(clusterId, day, uuid);
            var from = LedgerRules.ParseState(current.State);
            if (!LedgerRules.DecideMark(uuid, from, state))
            {
                return new MarkOutcome(from, Changed: false, Dropped: 0);
            }

            DayDocument next;
            var dropped = new HashSet<string>(StringComparer.Ordinal);
            var droppedSnapshots = 0;
            if (state == SnapshotState.Uploaded)
            {
                next = doc! with
                {
                    Snapshots = [.. doc.Snapshots.Select(s => s.Uuid == uuid ? s with { State = LedgerRules.StateName(state), UpdatedAt = now } : s)],
                };
            }
            else
            {
                var snapshots = new List<SnapshotDocument>(doc!.Snapshots.Count);
                foreach (var s in doc.Snapshots)
                {
                    if (s.Uuid == uuid)
                    {
                        snapshots.Add(s with { State = LedgerRules.StateName(state), UpdatedAt = now, PublishedAt = now });
                    }
                    else if (s.Parts.Any(p => p.ContentFile is not null))
                    {
                        // The newly published snapshot is the newest of the day: the older payloads are no longer needed.
                        dropped.UnionWith(ContentFiles(s));
                        droppedSnapshots++;
                        snapshots.Add(s with { Parts = [.. s.Parts.Select(p => p with { ContentFile = null })] });
                    }
                    else
                    {
                        snapshots.Add(s);
                    }
                }

                next = doc with { FailedAttempts = 0, LastError = null, UpdatedAt = now, Snapshots = snapshots };
            }

            await CommitDayAsync(clusterDir, dayDir, next, [], dropped, cancellationToken);
            return new MarkOutcome(from, Changed: true, droppedSnapshots);
        }, cancellationToken) ?? throw UnknownSnapshot(clusterId, day, uuid);

        if (!outcome.Changed)
        {
            Log.AlreadyPublished(logger, uuid, clusterId, day);
            return;
        }

        Log.SnapshotMarked(logger, uuid, clusterId, day, outcome.From, state);
        if (outcome.Dropped > 0)
        {
            Log.PayloadsDropped(logger, outcome.Dropped, clusterId, day);
        }
    }

    /// <inheritdoc />
    public async Task RecordFailureAsync(string clusterId, DateOnly day, Guid? uuid, string message, CancellationToken cancellationToken)
    {
        LedgerRules.EnsureValidClusterId(clusterId);
        var error = LedgerRules.TrimError(message);
        var now = Now();
        var failedAttempts = await WithClusterAsync(clusterId, create: true, async clusterDir =>
        {
            var dayDir = DayDirectory(clusterDir, day);
            var doc = await ReadDayAsync(dayDir, clusterId, day, cancellationToken)
                ?? new DayDocument(FormatVersion, clusterId, day, 0, null, now, []);
            // A uuid the ledger does not know (its AddPackagedAsync failed) still counts for the day.
            var next = doc with
            {
                FailedAttempts = doc.FailedAttempts + 1,
                LastError = error,
                UpdatedAt = now,
                Snapshots = [.. doc.Snapshots.Select(s => s.Uuid == uuid
                    ? s with { Attempts = s.Attempts + 1, LastError = error, UpdatedAt = now }
                    : s)],
            };
            await CommitDayAsync(clusterDir, dayDir, next, [], NoFiles, cancellationToken);
            return next.FailedAttempts;
        }, cancellationToken);

        Log.FailureRecorded(logger, failedAttempts, clusterId, day, uuid);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> GetLastDeliveredAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var result = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        if (!Directory.Exists(root))
        {
            return result;
        }

        // Lock-free: day.json is only ever replaced by rename, so each read sees a whole committed day.
        foreach (var clusterDir in Directory.EnumerateDirectories(root))
        {
            var clusterId = Path.GetFileName(clusterDir);
            if (!IsClusterDirectoryName(clusterId))
            {
                continue;
            }

            foreach (var (day, dayDir) in DayDirectories(clusterDir).OrderByDescending(d => d.Day))
            {
                if (await ReadDayAsync(dayDir, clusterId, day, cancellationToken) is { } doc
                    && LedgerRules.CurrentPublished(Heads(doc)) is { } published)
                {
                    result[clusterId] = LedgerRules.DeliveredUntil(day, published.Hours);
                    break;
                }
            }
        }

        return result;
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            foreach (var semaphore in clusterLocks.Values)
            {
                semaphore.Dispose();
            }

            clusterLocks.Clear();
        }
    }

    private static InvalidOperationException UnknownSnapshot(string clusterId, DateOnly day, Guid uuid) =>
        new($"Cluster {clusterId} day {LedgerRules.Format(day)} has no snapshot {uuid}.");

    private static bool IsClusterDirectoryName(string name) =>
        ClusterIdValidator.IsValid(name, out _) && name is not ("." or "..");

    private static string DayDirectory(string clusterDir, DateOnly day) => Path.Combine(clusterDir, LedgerRules.Format(day));

    private static IEnumerable<(DateOnly Day, string Path)> DayDirectories(string clusterDir)
    {
        foreach (var dir in Directory.EnumerateDirectories(clusterDir))
        {
            if (DateOnly.TryParseExact(Path.GetFileName(dir), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                yield return (day, dir);
            }
        }
    }

    private static List<SnapshotHead> Heads(DayDocument doc) =>
        [.. doc.Snapshots.Select(s => new SnapshotHead(s.Uuid, s.Hours, LedgerRules.ParseState(s.State)))];

    private static IEnumerable<string> ContentFiles(SnapshotDocument snapshot) =>
        snapshot.Parts.Select(p => p.ContentFile).OfType<string>();

    private static T Deserialize<T>(byte[] bytes, string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(bytes, type) ?? throw new InvalidDataException($"Ledger file {path} is empty (null).");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Ledger file {path} is not valid: {e.Message}", e);
        }
    }

    private static async Task<DayDocument?> ReadDayAsync(string dayDir, string clusterId, DateOnly day, CancellationToken cancellationToken)
    {
        var path = Path.Combine(dayDir, DayFileName);
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // No commit for this day yet (a directory can be left by a write that crashed before its first commit).
            return null;
        }

        var doc = Deserialize(bytes, path, FileLedgerJson.Default.DayDocument);
        if (doc.ClusterId != clusterId || doc.Day != day)
        {
            throw new InvalidDataException($"Ledger file {path} belongs to cluster {doc.ClusterId} day {LedgerRules.Format(doc.Day)}.");
        }

        return doc;
    }

    private static async Task<SnapshotRecord> LoadAsync(DayDocument doc, string dayDir, Guid uuid, CancellationToken cancellationToken)
    {
        var s = doc.Snapshots.First(x => x.Uuid == uuid);
        var parts = new List<SnapshotPart>(s.Parts.Count);
        foreach (var p in s.Parts)
        {
            byte[] content = [];
            if (p.ContentFile is { } file)
            {
                var path = Path.Combine(dayDir, file);
                content = await File.ReadAllBytesAsync(path, cancellationToken);
                if (content.LongLength != p.Length || LedgerRules.Sha256Hex(content) != p.Sha256)
                {
                    throw new InvalidDataException($"Payload file {path} does not match its ledger entry (length or SHA-256).");
                }
            }

            parts.Add(new SnapshotPart(p.FileName, p.ObjectKey, content));
        }

        return new SnapshotRecord(
            doc.ClusterId, doc.Day, s.Hours, s.Uuid, LedgerRules.ParseState(s.State), parts, s.Attempts, s.LastError, s.CreatedAt, s.UpdatedAt);
    }

    private static bool IsLockConflict(IOException e) =>
        OperatingSystem.IsWindows()
            ? (e.HResult & 0xFFFF) is 32 or 33 // ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
            : e.HResult == (OperatingSystem.IsLinux() ? 11 : 35); // EWOULDBLOCK from flock(LOCK_EX | LOCK_NB)

    private DateTimeOffset Now() => LedgerRules.Normalize(timeProvider.GetUtcNow());

    private SemaphoreSlim ClusterSemaphore(string clusterId)
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (!clusterLocks.TryGetValue(clusterId, out var semaphore))
            {
                semaphore = new SemaphoreSlim(1, 1);
                clusterLocks.Add(clusterId, semaphore);
            }

            return semaphore;
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> holding the cluster's semaphore and its lock file. Without <paramref name="create"/>
    /// a cluster that has no directory yet has no data: the result is default and nothing is created.
    /// </summary>
    private async Task<T?> WithClusterAsync<T>(string clusterId, bool create, Func<string, Task<T>> action, CancellationToken cancellationToken)
    {
        var clusterDir = Path.Combine(root, clusterId);
        var semaphore = ClusterSemaphore(clusterId);
        await semaphore.WaitAsync(cancellationToken);
        try
        {
            if (!Directory.Exists(clusterDir))
            {
                if (!create)
                {
                    return default;
                }

                Directory.CreateDirectory(clusterDir);
                FlushDirectory(root);
            }

            await using var fileLock = await AcquireFileLockAsync(Path.Combine(clusterDir, LockFileName), cancellationToken);
            return await action(clusterDir);
        }
        finally
        {
            semaphore.Release();
        }
    }

    private async Task<FileStream> AcquireFileLockAsync(string path, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var reported = false;
        while (true)
        {
            try
            {
                // On Unix .NET takes flock(LOCK_EX | LOCK_NB) for FileShare.None; the lock goes with the handle.
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1, FileOptions.None);
            }
            catch (IOException e) when (IsLockConflict(e))
            {
                if (timeProvider.GetElapsedTime(started) >= LockTimeout)
                {
                    throw new TimeoutException($"The ledger lock {path} stayed held by another process for {LockTimeout}.", e);
                }

                if (!reported)
                {
                    Log.LockBusy(logger, path, LockTimeout);
                    reported = true;
                }

                await Task.Delay(LockRetryDelay, timeProvider, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Writes <paramref name="newFiles"/> (flushed), then commits <paramref name="next"/> as the day file, then removes
    /// every file of the day directory the new day file does not refer to.
    /// </summary>
    private async Task CommitDayAsync(
        string clusterDir,
        string dayDir,
        DayDocument next,
        List<(string Name, byte[] Content)> newFiles,
        IReadOnlySet<string> superseded,
        CancellationToken cancellationToken)
    {
        if (!Directory.Exists(dayDir))
        {
            Directory.CreateDirectory(dayDir);
            FlushDirectory(clusterDir);
        }

        foreach (var (name, content) in newFiles)
        {
            await using var stream = new FileStream(
                Path.Combine(dayDir, name), FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.Asynchronous);
            await stream.WriteAsync(content, cancellationToken);
            stream.Flush(flushToDisk: true);
        }

        if (newFiles.Count > 0)
        {
            // The payload files must be durable before a day file that refers to them.
            FlushDirectory(dayDir);
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(next, FileLedgerJson.Default.DayDocument);
        await WriteAtomicallyAsync(Path.Combine(dayDir, DayFileName), bytes, BeforeCommit is { } hook ? ct => hook(dayDir, ct) : null, cancellationToken);
        RemoveUnreferenced(dayDir, next, superseded);
    }

    private async Task WriteAtomicallyAsync(string path, byte[] content, Func<CancellationToken, Task>? beforeRename, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(path)!;
        var temp = string.Create(
            CultureInfo.InvariantCulture, $"{path}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}{TempExtension}");
        await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.Asynchronous))
        {
            await stream.WriteAsync(content, cancellationToken);
            stream.Flush(flushToDisk: true);
        }

        if (beforeRename is not null)
        {
            await beforeRename(cancellationToken);
        }

        File.Move(temp, path, overwrite: true);
        FlushDirectory(directory);
    }

    private void RemoveUnreferenced(string dayDir, DayDocument next, IReadOnlySet<string> superseded)
    {
        var keep = next.Snapshots.SelectMany(ContentFiles).ToHashSet(StringComparer.Ordinal);
        keep.Add(DayFileName);
        var leftovers = 0;
        foreach (var path in Directory.EnumerateFiles(dayDir))
        {
            var name = Path.GetFileName(path);
            if (keep.Contains(name))
            {
                continue;
            }

            try
            {
                File.Delete(path);
                if (!superseded.Contains(name))
                {
                    leftovers++;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Log.CleanupFailed(logger, path, e);
            }
        }

        if (leftovers > 0)
        {
            Log.LeftoversRemoved(logger, leftovers, dayDir);
        }
    }

    private void FlushDirectory(string directory)
    {
        if (DirectorySync.Flush(directory) is { } reason)
        {
            Log.DirectorySyncUnavailable(logger, reason);
        }
    }

    private sealed record MarkOutcome(SnapshotState From, bool Changed, int Dropped);
}
