using ThanosBridge.Core.Confirmation;
using ThanosBridge.Core.Discovery;

namespace ThanosBridge.Core.Ledger;

/// <summary>
/// The durable record per cluster-day (PostgreSQL schema <c>thanos_bridge</c>, or <c>ledger.db</c> in THANOS_BRIDGE_DATA_DIR).
/// Writes are atomic: a crash leaves either the old or the new state of a snapshot.
/// </summary>
public interface ILedger
{
    /// <summary>
    /// Creates or migrates the storage, once per instance (later calls return at once; a failed call is retried by the
    /// next); safe when two processes start at once.
    /// </summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>The state of every day of <paramref name="cluster"/> from <paramref name="fromDay"/> on.</summary>
    Task<IReadOnlyList<ClusterDayState>> GetDaysAsync(ClusterId cluster, DateOnly fromDay, CancellationToken cancellationToken);

    /// <summary>The state of one day of <paramref name="cluster"/>; null when the ledger has nothing of it.</summary>
    Task<ClusterDayState?> GetDayAsync(ClusterId cluster, DateOnly day, CancellationToken cancellationToken);

    /// <summary>Records a new snapshot in state Packaged, with its payload. A newer pending snapshot of the day replaces none: callers finish pending ones first.</summary>
    Task AddPackagedAsync(SnapshotRecord snapshot, CancellationToken cancellationToken);

    /// <summary>Moves a snapshot to <paramref name="state"/> (Uploaded or Published). Publishing a snapshot makes it the day's published one and may drop the payload bytes of older ones.</summary>
    Task MarkAsync(ClusterId cluster, DateOnly day, Guid uuid, SnapshotState state, CancellationToken cancellationToken);

    /// <summary>
    /// Counts a failed attempt for the day (and on the pending snapshot <paramref name="uuid"/>, when there is one) and
    /// keeps the error <paramref name="message"/>, which must hold no secret. A later successful publish resets the day's count.
    /// </summary>
    Task RecordFailureAsync(ClusterId cluster, DateOnly day, Guid? uuid, string message, CancellationToken cancellationToken);

    /// <summary>The last published hour (exclusive end) of every cluster, for the freshness metric.</summary>
    Task<IReadOnlyDictionary<ClusterId, DateTimeOffset>> GetLastDeliveredAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The published snapshots of days from <paramref name="fromDay"/> on, oldest first, with koku's outcome as last
    /// recorded; with <paramref name="includeFinal"/> false only those whose outcome is not final (completed, superseded).
    /// </summary>
    Task<IReadOnlyList<PublishedSnapshot>> GetPublishedAsync(DateOnly fromDay, bool includeFinal, CancellationToken cancellationToken);

    /// <summary>Records what a confirmation check found (koku's status, when koku completed it), in one transaction.</summary>
    Task RecordKokuStatusesAsync(IReadOnlyList<KokuStatusUpdate> updates, CancellationToken cancellationToken);

    /// <summary>
    /// Records that the published snapshot <paramref name="uuid"/> was announced again (same uuid, fresh URL): one more
    /// re-announcement, announced now, koku status awaiting.
    /// </summary>
    Task RecordReannouncedAsync(ClusterId cluster, DateOnly day, Guid uuid, CancellationToken cancellationToken);
}
