using ThanosBridge.Core.Discovery;

namespace ThanosBridge.Core.Ledger;

/// <summary>Where a snapshot is in its delivery. Each step is recorded before the next one starts.</summary>
public enum SnapshotState
{
    /// <summary>Collected and packaged; the payload bytes are in the ledger, nothing uploaded yet.</summary>
    Packaged,

    /// <summary>Every part is in the payload store; not yet announced.</summary>
    Uploaded,

    /// <summary>The broker acknowledged every announcement: koku has been told.</summary>
    Published,
}

/// <summary>One stored payload file of a snapshot (one, or one per CSV when split).</summary>
public sealed record SnapshotPart(string FileName, string ObjectKey, byte[] Content);

/// <summary>
/// One cumulative snapshot of one cluster-day (Bridge decision b): the hours it covers from 00:00, its uuid, where it
/// is in delivery and the payload itself (kept so that a crash after packaging can finish the same snapshot, and so
/// that the next snapshot of the day queries only the new hours).
/// </summary>
public sealed record SnapshotRecord(
    ClusterId ClusterId,
    DateOnly Day,
    int Hours,
    Guid Uuid,
    SnapshotState State,
    IReadOnlyList<SnapshotPart> Parts,
    int Attempts,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>
/// The ledger's view of one cluster-day: the last published snapshot, an unfinished one if any, and the failed
/// attempts since the last success (collection failures have no snapshot yet, so they are counted per day).
/// </summary>
public sealed record ClusterDayState(
    ClusterId ClusterId,
    DateOnly Day,
    SnapshotRecord? Published,
    SnapshotRecord? Pending,
    int FailedAttempts = 0,
    string? LastError = null)
{
    /// <summary>Hours koku has been told about for this day (0 if nothing was published).</summary>
    public int DeliveredHours => Published?.Hours ?? 0;

    /// <summary>The newest snapshot of the day, finished or not: its CSVs are the base for the next one.</summary>
    public SnapshotRecord? Latest => Pending ?? Published;
}
