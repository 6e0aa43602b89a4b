namespace ThanosBridge.Core.Confirmation;

/// <summary>What to do with one unconfirmed snapshot after a check.</summary>
/// <param name="Status">The status to record.</param>
/// <param name="Reannounce">Announce it again now: same uuid, same files, a fresh URL.</param>
/// <param name="CompletedAt">When koku completed it (<see cref="KokuStatus.Completed"/> only).</param>
public sealed record ConfirmationDecision(KokuStatus Status, bool Reannounce = false, DateTimeOffset? CompletedAt = null);

/// <summary>
/// The delivery-confirmation rules (koku-ingestion.md §1.4, §1.8, §1.10, §7), pure: what a published snapshot's rows in
/// koku's manifest and status tables mean, and whether it is announced again.
/// <list type="bullet">
/// <item>Completed (a complete manifest row for every koku source the cluster is delivered to, one per org) is final,
/// whatever else holds.</item>
/// <item>Only the day's latest published snapshot matters: koku keeps the payload with more hours (§1.10), so an older
/// one not completed is superseded and never re-announced.</item>
/// <item>Recorded but failed (a FAILED status row, or a failed step in the manifest state): reported, never re-sent.
/// koku would reuse the manifest row and process the failed files again (§1.8), and a file that failed after its daily
/// rows were written would append them twice (§7, gotcha 18).</item>
/// <item>Recorded and not complete: processing, reported as stalled beyond the threshold (not re-sent, as above).</item>
/// <item>Never recorded: the download failed or the message was lost, and koku keeps nothing of it (§1.4, §7 gotcha 5).
/// After the threshold it is announced again, same uuid and files (§1.8, §7 gotchas 9 and 25), up to the maximum;
/// then reported as never recorded. The same holds for an org whose row is missing once every recorded row is complete:
/// the orgs that completed it skip its files (§1.8).</item>
/// </list>
/// </summary>
public static class ConfirmationRules
{
    /// <param name="manifests">koku's manifest rows of this snapshot's uuid (none when koku never recorded it).</param>
    /// <param name="providers">
    /// The koku sources (<c>provider_id</c>) the cluster is delivered to, each of which must record it; null when not
    /// known (the cluster is not delivered for in this run, or its sources come from THANOS_BRIDGE_CLUSTERS): then the
    /// rows koku recorded decide.
    /// </param>
    public static ConfirmationDecision Decide(
        PublishedSnapshot snapshot, IReadOnlyCollection<KokuManifest> manifests, ConfirmationOptions options, DateTimeOffset now,
        IReadOnlyCollection<Guid>? providers = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(manifests);
        ArgumentNullException.ThrowIfNull(options);
        var recorded = manifests.Count > 0;
        var allComplete = manifests.All(IsComplete);
        var orgMissing = providers is not null && providers.Any(p => !manifests.Any(m => m.ProviderUuid == p));
        if (recorded && allComplete && !orgMissing)
        {
            return new ConfirmationDecision(KokuStatus.Completed, CompletedAt: manifests.Max(CompletedAt) ?? now);
        }

        if (!snapshot.IsLatest)
        {
            return new ConfirmationDecision(KokuStatus.Superseded);
        }

        if (Failure(manifests) is { } failed)
        {
            return new ConfirmationDecision(failed);
        }

        var overdue = now - snapshot.AnnouncedAt >= options.Threshold;
        // Not announced again while koku processes a row: it would process that row's unfinished files again. Once every
        // recorded row is complete, a missing org's row is treated as never recorded.
        if (recorded && !(allComplete && orgMissing))
        {
            return new ConfirmationDecision(overdue ? KokuStatus.ProcessingStalled : KokuStatus.Processing);
        }

        if (!overdue)
        {
            return new ConfirmationDecision(KokuStatus.Awaiting);
        }

        return snapshot.Reannouncements < options.MaxReannouncements
            ? new ConfirmationDecision(KokuStatus.Awaiting, Reannounce: true)
            : new ConfirmationDecision(KokuStatus.NeverRecorded);
    }

    /// <summary>
    /// A manifest row is complete when koku set its <c>completed_datetime</c>, or when every listed file has a DONE status
    /// row with a completion time (the files' data is stored; the summary runs from there, §1.11).
    /// </summary>
    public static bool IsComplete(KokuManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return manifest.FailedFiles == 0 && manifest.FailedSteps.Count == 0
            && (manifest.CompletedAt is not null || (manifest.NumTotalFiles > 0 && manifest.DoneFiles >= manifest.NumTotalFiles));
    }

    /// <summary>The first failure koku recorded, in the order of its steps; null when none.</summary>
    public static KokuStatus? Failure(IEnumerable<KokuManifest> manifests)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        KokuStatus? found = null;
        foreach (var m in manifests)
        {
            var status = m.FailedSteps.Contains("download") ? KokuStatus.DownloadFailed
                : m.FailedFiles > 0 || m.FailedSteps.Contains("processing") ? KokuStatus.ProcessingFailed
                : m.FailedSteps.Contains("summary") ? KokuStatus.SummaryFailed
                : (KokuStatus?)null;
            if (status is { } s && (found is null || s < found))
            {
                found = s;
            }
        }

        return found;
    }

    private static DateTimeOffset? CompletedAt(KokuManifest manifest) => manifest.CompletedAt ?? manifest.LastFileCompletedAt;
}
