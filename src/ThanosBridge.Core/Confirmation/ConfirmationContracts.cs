using ThanosBridge.Core.Discovery;

namespace ThanosBridge.Core.Confirmation;

/// <summary>
/// One row of koku's <c>reporting_common_costusagereportmanifest</c> for a snapshot's uuid (koku-ingestion.md §4.5), with
/// its status rows counted. A uuid has one row per koku provider it was announced for (one per org).
/// </summary>
/// <param name="Uuid">The manifest's <c>assembly_id</c>.</param>
/// <param name="NumTotalFiles">koku's <c>num_total_files</c>: the files the manifest lists.</param>
/// <param name="CompletedAt">The manifest's <c>completed_datetime</c>.</param>
/// <param name="FailedSteps">The steps of the <c>state</c> jsonb that have a <c>failed</c> time (download, processing, summary).</param>
/// <param name="DoneFiles">Status rows DONE (1) with a <c>completed_datetime</c>.</param>
/// <param name="FailedFiles">Status rows FAILED (2).</param>
/// <param name="LastFileCompletedAt">The newest <c>completed_datetime</c> of its status rows.</param>
/// <param name="ProviderUuid">koku's <c>provider_id</c>: the source (org) the row was recorded for.</param>
public sealed record KokuManifest(
    Guid Uuid,
    int NumTotalFiles,
    DateTimeOffset? CompletedAt,
    IReadOnlyList<string> FailedSteps,
    int DoneFiles,
    int FailedFiles,
    DateTimeOffset? LastFileCompletedAt,
    Guid? ProviderUuid = null);

/// <summary>Reads koku's ingestion tables, read-only (koku-ingestion.md §4.5).</summary>
public interface IKokuIngestion
{
    /// <summary>Every manifest row of the given uuids, in one query.</summary>
    Task<IReadOnlyList<KokuManifest>> ManifestsAsync(IReadOnlyCollection<Guid> uuids, CancellationToken cancellationToken);
}

/// <summary>A published snapshot and what the ledger knows of koku's outcome for it.</summary>
/// <param name="IsLatest">Whether it is the day's published snapshot with the most hours (only that one counts in koku).</param>
/// <param name="PublishedAt">When it was first published.</param>
/// <param name="AnnouncedAt">When it was last announced (published, or announced again).</param>
/// <param name="Reannouncements">How many times it was announced again after it was published.</param>
/// <param name="Status">The status the last check recorded; null when never checked.</param>
public sealed record PublishedSnapshot(
    ClusterId ClusterId,
    DateOnly Day,
    int Hours,
    Guid Uuid,
    bool IsLatest,
    DateTimeOffset PublishedAt,
    DateTimeOffset AnnouncedAt,
    int Reannouncements,
    KokuStatus? Status);

/// <summary>A status found by a confirmation check, to record in the ledger.</summary>
/// <param name="CompletedAt">When koku completed the snapshot (<see cref="KokuStatus.Completed"/> only).</param>
public sealed record KokuStatusUpdate(Guid Uuid, KokuStatus Status, DateTimeOffset? CompletedAt);

/// <summary>THANOS_BRIDGE_CONFIRMATION_THRESHOLD and THANOS_BRIDGE_MAX_REANNOUNCEMENTS.</summary>
/// <param name="Threshold">How long after an announcement koku may go without recording (or completing) it.</param>
/// <param name="MaxReannouncements">How many times a snapshot koku never recorded is announced again (0: never).</param>
public sealed record ConfirmationOptions(TimeSpan Threshold, int MaxReannouncements)
{
    public static readonly ConfirmationOptions Default = new(TimeSpan.FromHours(4), 3);
}
