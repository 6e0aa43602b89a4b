using System.Globalization;
using ThanosBridge.Core.Collection.Promql;
using ThanosBridge.Core.Delivery;

namespace ThanosBridge.Core.Ledger;

/// <summary>The snapshot metadata the ledger rules look at (one row per snapshot of a cluster-day).</summary>
public readonly record struct SnapshotHead(Guid Uuid, int Hours, SnapshotState State);

/// <summary>What <see cref="LedgerRules.DecideAdd"/> allows.</summary>
public enum AddKind
{
    /// <summary>A new snapshot with more hours than the day's published one.</summary>
    New,

    /// <summary>The day's published snapshot again, same uuid and hours: it goes back to Packaged to be re-delivered.</summary>
    Resend,
}

/// <summary>
/// Argument checks and state rules shared by <see cref="PostgresLedger"/> and <see cref="FileLedger"/>, so that both
/// implementations accept and refuse exactly the same calls.
/// </summary>
public static class LedgerRules
{
    /// <summary>A day has 24 hours; a snapshot covers at least one of them.</summary>
    public const int MaxHours = 24;

    /// <summary>Error texts are kept up to this many characters.</summary>
    public const int MaxErrorLength = 2000;

    /// <summary>Checks a snapshot handed to AddPackagedAsync: 1–24 hours, a version-4 uuid, at least one complete part.</summary>
    public static void EnsureValidSnapshot(SnapshotRecord snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Hours is < 1 or > MaxHours)
        {
            throw new ArgumentOutOfRangeException(
                nameof(snapshot), snapshot.Hours, $"Hours must be between 1 and {MaxHours}.");
        }

        // koku's listener rejects any other uuid version (koku-ingestion.md §7, gotcha 6).
        if (snapshot.Uuid.Version != 4 || snapshot.Uuid.Variant is < 8 or > 11)
        {
            throw new ArgumentException($"Snapshot uuid {snapshot.Uuid} is not a version-4 UUID.", nameof(snapshot));
        }

        if (snapshot.Parts is null || snapshot.Parts.Count == 0)
        {
            throw new ArgumentException("A snapshot needs at least one payload part.", nameof(snapshot));
        }

        foreach (var part in snapshot.Parts)
        {
            if (part is null || string.IsNullOrEmpty(part.FileName) || string.IsNullOrEmpty(part.ObjectKey) || part.Content is null)
            {
                throw new ArgumentException("Every payload part needs a file name, an object key and its content.", nameof(snapshot));
            }
        }
    }

    public static void EnsureMarkTarget(SnapshotState state)
    {
        if (state is not (SnapshotState.Uploaded or SnapshotState.Published))
        {
            throw new ArgumentOutOfRangeException(nameof(state), state, "A snapshot can only be marked Uploaded or Published.");
        }
    }

    /// <summary>The day's current published snapshot: the published one with the most hours.</summary>
    public static SnapshotHead? CurrentPublished(IEnumerable<SnapshotHead> day)
    {
        SnapshotHead? best = null;
        foreach (var s in day)
        {
            if (s.State == SnapshotState.Published && (best is null || s.Hours > best.Value.Hours))
            {
                best = s;
            }
        }

        return best;
    }

    /// <summary>The day's unfinished snapshot (Packaged or Uploaded), if any.</summary>
    public static SnapshotHead? Pending(IEnumerable<SnapshotHead> day)
    {
        foreach (var s in day)
        {
            if (s.State != SnapshotState.Published)
            {
                return s;
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="snapshot"/> may be added to a day holding <paramref name="day"/>, and how.</summary>
    /// <exception cref="InvalidOperationException">The day has a pending snapshot, or the snapshot does not advance the day.</exception>
    public static AddKind DecideAdd(IReadOnlyCollection<SnapshotHead> day, SnapshotRecord snapshot)
    {
        var pending = Pending(day);
        if (pending is { } p)
        {
            throw new InvalidOperationException(p.Uuid == snapshot.Uuid
                ? $"Snapshot {snapshot.Uuid} of cluster {snapshot.ClusterId} day {Format(snapshot.Day)} is already pending ({StateName(p.State)})."
                : $"Cluster {snapshot.ClusterId} day {Format(snapshot.Day)} already has the pending snapshot {p.Uuid} ({StateName(p.State)}); finish it first.");
        }

        var published = CurrentPublished(day);
        foreach (var s in day)
        {
            if (s.Uuid != snapshot.Uuid)
            {
                continue;
            }

            if (published is { } current && current.Uuid == s.Uuid && s.Hours == snapshot.Hours)
            {
                return AddKind.Resend;
            }

            throw new InvalidOperationException(
                $"Snapshot {snapshot.Uuid} of cluster {snapshot.ClusterId} day {Format(snapshot.Day)} already exists with {s.Hours} hours; " +
                "only the day's current published snapshot can be re-sent, with the same hours.");
        }

        if (published is { } pub && snapshot.Hours <= pub.Hours)
        {
            throw new InvalidOperationException(
                $"Snapshot {snapshot.Uuid} of cluster {snapshot.ClusterId} day {Format(snapshot.Day)} has {snapshot.Hours} hours, " +
                $"but {pub.Hours} hours were already published (snapshot {pub.Uuid}); koku would skip it.");
        }

        return AddKind.New;
    }

    /// <summary>Whether marking a snapshot in state <paramref name="current"/> as <paramref name="target"/> changes it.</summary>
    /// <returns>False for the idempotent Published → Published.</returns>
    /// <exception cref="InvalidOperationException">The transition is not allowed.</exception>
    public static bool DecideMark(Guid uuid, SnapshotState current, SnapshotState target)
    {
        EnsureMarkTarget(target);
        return (current, target) switch
        {
            (SnapshotState.Packaged, SnapshotState.Uploaded) => true,
            (SnapshotState.Packaged or SnapshotState.Uploaded, SnapshotState.Published) => true,
            (SnapshotState.Published, SnapshotState.Published) => false,
            _ => throw new InvalidOperationException(
                $"Snapshot {uuid} is {StateName(current)}; it cannot be marked {StateName(target)}."),
        };
    }

    /// <summary>The error text as stored: NUL characters replaced, at most <see cref="MaxErrorLength"/> characters, no split surrogate pair.</summary>
    public static string TrimError(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var text = message.Contains('\0', StringComparison.Ordinal) ? message.Replace('\0', '\uFFFD') : message;
        if (text.Length <= MaxErrorLength)
        {
            return text;
        }

        var length = char.IsHighSurrogate(text[MaxErrorLength - 1]) ? MaxErrorLength - 1 : MaxErrorLength;
        return text[..length];
    }

    /// <summary>Timestamps are stored in UTC with microsecond precision (PostgreSQL's), so both ledgers return the same values.</summary>
    public static DateTimeOffset Normalize(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % 10), TimeSpan.Zero);
    }

    /// <summary>The exclusive end of the last delivered hour: the day's 00:00 UTC plus <paramref name="hours"/>.</summary>
    public static DateTimeOffset DeliveredUntil(DateOnly day, int hours) =>
        new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)).AddHours(hours);

    public static string StateName(SnapshotState state) => state switch
    {
        SnapshotState.Packaged => "packaged",
        SnapshotState.Uploaded => "uploaded",
        SnapshotState.Published => "published",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    public static SnapshotState ParseState(string name) => name switch
    {
        "packaged" => SnapshotState.Packaged,
        "uploaded" => SnapshotState.Uploaded,
        "published" => SnapshotState.Published,
        _ => throw new InvalidDataException($"Unknown snapshot state '{name}' in the ledger."),
    };

    public static string Format(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static long PayloadBytes(IEnumerable<SnapshotPart> parts)
    {
        long total = 0;
        foreach (var part in parts)
        {
            total += part.Content.LongLength;
        }

        return total;
    }

    /// <summary>Lower-case hex SHA-256, with which the file ledger verifies stored payload parts.</summary>
    public static string Sha256Hex(ReadOnlySpan<byte> content) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));
}
