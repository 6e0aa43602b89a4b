namespace ThanosBridge.Core.Confirmation;

/// <summary>
/// What koku did with a published snapshot, as the ledger records it (column <c>koku_status</c>) and the metrics and
/// commands show it. <see cref="KokuStatuses.Name"/> is the stored and exported spelling.
/// </summary>
public enum KokuStatus
{
    /// <summary>No manifest row for the uuid yet, within THANOS_BRIDGE_CONFIRMATION_THRESHOLD of the last announcement.</summary>
    Awaiting,

    /// <summary>koku recorded the manifest and has not finished its files, within the threshold.</summary>
    Processing,

    /// <summary>koku processed every file of the snapshot (terminal: never re-sent).</summary>
    Completed,

    /// <summary>A newer snapshot of the same cluster-day was published; koku keeps the one with more hours (terminal).</summary>
    Superseded,

    /// <summary>koku's manifest state has a failed download step.</summary>
    DownloadFailed,

    /// <summary>A status row is FAILED, or the manifest state has a failed processing step.</summary>
    ProcessingFailed,

    /// <summary>The manifest state has a failed summary step.</summary>
    SummaryFailed,

    /// <summary>koku recorded the manifest but has not completed it beyond the threshold.</summary>
    ProcessingStalled,

    /// <summary>No manifest row after every re-announcement: the download failed each time, or koku dropped the message.</summary>
    NeverRecorded,
}

/// <summary>Names and classes of <see cref="KokuStatus"/>.</summary>
public static class KokuStatuses
{
    /// <summary>The statuses that need a person: reported (metric, log, alert), never re-sent.</summary>
    public static readonly IReadOnlyList<KokuStatus> Reported =
        [KokuStatus.DownloadFailed, KokuStatus.ProcessingFailed, KokuStatus.SummaryFailed, KokuStatus.ProcessingStalled, KokuStatus.NeverRecorded];

    /// <summary>The statuses of a snapshot koku may still complete without anyone acting.</summary>
    public static readonly IReadOnlyList<KokuStatus> Pending = [KokuStatus.Awaiting, KokuStatus.Processing];

    /// <summary>Completed and superseded snapshots are not checked again.</summary>
    public static bool IsFinal(KokuStatus status) => status is KokuStatus.Completed or KokuStatus.Superseded;

    public static bool IsReported(KokuStatus status) => Reported.Contains(status);

    public static string Name(KokuStatus status) => status switch
    {
        KokuStatus.Awaiting => "awaiting",
        KokuStatus.Processing => "processing",
        KokuStatus.Completed => "completed",
        KokuStatus.Superseded => "superseded",
        KokuStatus.DownloadFailed => "download_failed",
        KokuStatus.ProcessingFailed => "processing_failed",
        KokuStatus.SummaryFailed => "summary_failed",
        KokuStatus.ProcessingStalled => "processing_stalled",
        KokuStatus.NeverRecorded => "never_recorded",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static KokuStatus Parse(string name)
    {
        foreach (var status in Enum.GetValues<KokuStatus>())
        {
            if (Name(status) == name)
            {
                return status;
            }
        }

        throw new InvalidDataException($"Unknown koku status '{name}' in the ledger.");
    }
}
