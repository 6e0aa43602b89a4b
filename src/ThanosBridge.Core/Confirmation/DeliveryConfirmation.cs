using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ThanosBridge.Core.Delivery;
using ThanosBridge.Core.Discovery;
using ThanosBridge.Core.Ledger;
using ThanosBridge.Core.Planning;
using ThanosBridge.Core.Metrics;

namespace ThanosBridge.Core.Confirmation;

/// <summary>What the confirmation check found for one snapshot in a run.</summary>
/// <param name="Previous">The status recorded before this check (null: never checked).</param>
/// <param name="Reannounced">Announced again in this run.</param>
/// <param name="Error">Why a due re-announcement did not happen.</param>
/// <param name="CompletedAt">When koku completed it (<see cref="KokuStatus.Completed"/> only).</param>
public sealed record SnapshotConfirmation(
    ClusterId ClusterId, DateOnly Day, int Hours, Guid Uuid, KokuStatus Status, KokuStatus? Previous, bool Reannounced, int Reannouncements, string? Error,
    DateTimeOffset PublishedAt, DateTimeOffset? CompletedAt = null);

/// <summary>A run's confirmation check: every snapshot it looked at, or why it could not look, or that it is off.</summary>
public sealed record ConfirmationReport(bool Enabled, IReadOnlyList<SnapshotConfirmation> Snapshots, string? Error)
{
    public static readonly ConfirmationReport Off = new(false, [], null);
}

/// <summary>
/// Delivery confirmation (issue 13): at the start of every run, the published snapshots whose koku outcome is not final
/// are looked up in koku's manifest and status tables (one query for all their uuids), the outcome is recorded in the
/// ledger, a snapshot koku never recorded is announced again after the threshold (<see cref="ConfirmationRules"/>), and
/// the failures koku recorded are reported (metric, log, alert), never re-sent. Runs before the run's deliveries, so a
/// snapshot is first checked by the run after the one that published it. A failed check never fails the run.
/// </summary>
public sealed partial class DeliveryConfirmation(
    ILedger ledger,
    IKokuIngestion koku,
    ClusterDelivery delivery,
    ConfirmationOptions options,
    DeliveryOptions deliveryOptions,
    TimeProvider time,
    BridgeMetrics metrics,
    ILogger<DeliveryConfirmation> logger)
{
    private static readonly string[] GaugeStatuses = [.. KokuStatuses.Pending.Concat(KokuStatuses.Reported).Select(KokuStatuses.Name)];

    /// <param name="orgs">The clusters discovery found, with their orgs: only those are announced again.</param>
    /// <param name="onlyCluster">Check only this cluster's snapshots (<c>once --cluster</c>).</param>
    /// <param name="onlyDay">The day <c>once --day</c> sends again itself: not re-announced here as well.</param>
    public async Task<ConfirmationReport> RunAsync(
        IReadOnlyDictionary<ClusterId, IReadOnlyList<DiscoveredCluster>> orgs, ClusterId? onlyCluster, DateOnly? onlyDay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(orgs);
        using var activity = ClusterDelivery.Activities.StartActivity("confirm");
        var now = time.GetUtcNow();
        IReadOnlyList<PublishedSnapshot> snapshots;
        ILookup<Guid, KokuManifest> manifests;
        try
        {
            // koku keeps nothing older than its retention, so an older day can no longer be confirmed or lost.
            var fromDay = DeliveryPlanner.OldestAcceptedDay(now, deliveryOptions.KokuRetentionMonths);
            snapshots = [.. (await ledger.GetPublishedAsync(fromDay, includeFinal: false, cancellationToken))
                .Where(s => onlyCluster is null || s.ClusterId == onlyCluster)];
            manifests = snapshots.Count == 0
                ? Array.Empty<KokuManifest>().ToLookup(m => m.Uuid)
                : (await koku.ManifestsAsync([.. snapshots.Select(s => s.Uuid)], cancellationToken)).ToLookup(m => m.Uuid);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var message = ErrorText.Describe(e);
            metrics.ConfirmationCheckFailures.Add(1);
            activity?.SetStatus(ActivityStatusCode.Error, message);
            LogCheckFailed(logger, message);
            return new ConfirmationReport(true, [], message);
        }

        var results = new List<SnapshotConfirmation>(snapshots.Count);
        foreach (var snapshot in snapshots)
        {
            results.Add(await ConfirmAsync(snapshot, manifests[snapshot.Uuid].ToList(), orgs, onlyDay, now, cancellationToken));
        }

        string? error = null;
        try
        {
            await ledger.RecordKokuStatusesAsync(
                [.. results.Where(r => !r.Reannounced).Select(r => new KokuStatusUpdate(r.Uuid, r.Status, r.CompletedAt))],
                cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            error = ErrorText.Describe(e);
            metrics.ConfirmationCheckFailures.Add(1);
            LogCheckFailed(logger, error);
        }

        // The gauges cover every cluster's unconfirmed snapshots, so a check narrowed to one cluster leaves them as they are.
        if (onlyCluster is null)
        {
            metrics.SetConfirmation(
                results.Where(r => !KokuStatuses.IsFinal(r.Status))
                    .Select(r => (r.ClusterId, KokuStatuses.Name(r.Status), r.PublishedAt)),
                GaugeStatuses);
        }

        int completed = 0, pending = 0, reannounced = 0, reported = 0, superseded = 0;
        foreach (var r in results)
        {
            completed += r.Status == KokuStatus.Completed ? 1 : 0;
            pending += KokuStatuses.Pending.Contains(r.Status) ? 1 : 0;
            reannounced += r.Reannounced ? 1 : 0;
            reported += KokuStatuses.IsReported(r.Status) ? 1 : 0;
            superseded += r.Status == KokuStatus.Superseded ? 1 : 0;
        }

        LogCheckFinished(logger, results.Count, completed, pending, reannounced, reported, superseded);
        return new ConfirmationReport(true, results, error);
    }

    private async Task<SnapshotConfirmation> ConfirmAsync(
        PublishedSnapshot snapshot, IReadOnlyList<KokuManifest> manifests, IReadOnlyDictionary<ClusterId, IReadOnlyList<DiscoveredCluster>> orgs,
        DateOnly? onlyDay, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var decision = ConfirmationRules.Decide(snapshot, manifests, options, now, ProvidersOf(orgs, snapshot.ClusterId));
        if (decision.Reannounce && snapshot.Day == onlyDay)
        {
            // once --day announces the day's latest snapshot again in this run (and counts it): not twice.
            decision = decision with { Reannounce = false };
        }

        var result = new SnapshotConfirmation(snapshot.ClusterId, snapshot.Day, snapshot.Hours, snapshot.Uuid, decision.Status, snapshot.Status,
            Reannounced: false, snapshot.Reannouncements, Error: null, snapshot.PublishedAt, decision.CompletedAt);
        if (decision.Reannounce)
        {
            if (!orgs.TryGetValue(snapshot.ClusterId, out var clusterOrgs) || clusterOrgs.Count == 0)
            {
                LogNotReannouncedUndiscovered(logger, snapshot.ClusterId, snapshot.Uuid, snapshot.Day);
                return result with { Error = "the cluster is not delivered for in this run" };
            }

            try
            {
                await delivery.ReannounceAsync(snapshot.ClusterId, clusterOrgs, snapshot.Day, snapshot.Uuid, cancellationToken);
                metrics.Reannouncements.Add(1, new KeyValuePair<string, object?>("result", "success"));
                return result with { Reannounced = true, Reannouncements = snapshot.Reannouncements + 1 };
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var message = ErrorText.Describe(e);
                metrics.Reannouncements.Add(1, new KeyValuePair<string, object?>("result", "failure"));
                LogReannouncementFailed(logger, snapshot.ClusterId, snapshot.Uuid, snapshot.Day, message);
                return result with { Error = message };
            }
        }

        if (decision.Status == snapshot.Status)
        {
            return result;
        }

        switch (decision.Status)
        {
            case KokuStatus.Completed:
                metrics.SnapshotsConfirmed.Add(1);
                LogCompleted(logger, snapshot.ClusterId, snapshot.Uuid, snapshot.Day, snapshot.Hours, snapshot.Reannouncements);
                break;
            case KokuStatus.Superseded:
                LogSuperseded(logger, snapshot.ClusterId, snapshot.Uuid, snapshot.Day, snapshot.Hours);
                break;
            case KokuStatus.NeverRecorded:
                LogNeverRecorded(logger, snapshot.ClusterId, snapshot.Uuid, snapshot.Day, snapshot.Hours, snapshot.Reannouncements, now - snapshot.PublishedAt);
                break;
            case var reported when KokuStatuses.IsReported(reported):
                LogKokuFailed(logger, snapshot.ClusterId, snapshot.Uuid, snapshot.Day, snapshot.Hours, KokuStatuses.Name(reported));
                break;
            default:
                break;
        }

        return result;
    }

    /// <summary>The koku sources the cluster is delivered to in this run; null when one of them (or the cluster) is not known.</summary>
    private static Guid[]? ProvidersOf(IReadOnlyDictionary<ClusterId, IReadOnlyList<DiscoveredCluster>> orgs, ClusterId cluster) =>
        orgs.TryGetValue(cluster, out var sources) && sources.Count > 0 && sources.All(s => s.ProviderUuid is not null)
            ? [.. sources.Select(s => s.ProviderUuid!.Value).Distinct()]
            : null;

    [LoggerMessage(EventId = 5500, EventName = "SnapshotConfirmed", Level = LogLevel.Information,
        Message = "koku completed snapshot {Uuid} of cluster {ClusterId} day {Day} ({Hours} hours, announced again {Reannouncements} times)")]
    private static partial void LogCompleted(ILogger logger, ClusterId clusterId, Guid uuid, DateOnly day, int hours, int reannouncements);

    [LoggerMessage(EventId = 5501, EventName = "SnapshotFailedInKoku", Level = LogLevel.Error,
        Message = "koku recorded snapshot {Uuid} of cluster {ClusterId} day {Day} ({Hours} hours) but did not complete it ({KokuStatus}); not sent again: koku would process its failed files again and may append rows twice")]
    private static partial void LogKokuFailed(ILogger logger, ClusterId clusterId, Guid uuid, DateOnly day, int hours, string kokuStatus);

    [LoggerMessage(EventId = 5502, EventName = "SnapshotNeverRecorded", Level = LogLevel.Error,
        Message = "koku never recorded snapshot {Uuid} of cluster {ClusterId} day {Day} ({Hours} hours): no manifest row after {Reannouncements} re-announcements, {Age} after it was published; not announced again")]
    private static partial void LogNeverRecorded(ILogger logger, ClusterId clusterId, Guid uuid, DateOnly day, int hours, int reannouncements, TimeSpan age);

    [LoggerMessage(EventId = 5503, EventName = "ConfirmationCheckFailed", Level = LogLevel.Error,
        Message = "delivery confirmation could not read koku's manifest tables or the ledger: {Error}; delivery continues and the next run checks again")]
    private static partial void LogCheckFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 5504, EventName = "ReannouncementFailed", Level = LogLevel.Error,
        Message = "announcing snapshot {Uuid} of cluster {ClusterId} day {Day} again failed: {Error}; the next run tries again")]
    private static partial void LogReannouncementFailed(ILogger logger, ClusterId clusterId, Guid uuid, DateOnly day, string error);

    [LoggerMessage(EventId = 5505, EventName = "SnapshotSuperseded", Level = LogLevel.Debug,
        Message = "snapshot {Uuid} of cluster {ClusterId} day {Day} ({Hours} hours) is superseded by a newer snapshot of the day; koku keeps the one with more hours")]
    private static partial void LogSuperseded(ILogger logger, ClusterId clusterId, Guid uuid, DateOnly day, int hours);

    [LoggerMessage(EventId = 5506, EventName = "ReannouncementSkipped", Level = LogLevel.Information,
        Message = "snapshot {Uuid} of cluster {ClusterId} day {Day} is due to be announced again, but the cluster is not delivered for in this run (paused, removed or skipped in koku)")]
    private static partial void LogNotReannouncedUndiscovered(ILogger logger, ClusterId clusterId, Guid uuid, DateOnly day);

    [LoggerMessage(EventId = 5507, EventName = "ConfirmationCheckFinished", Level = LogLevel.Information,
        Message = "delivery confirmation checked {Checked} snapshots: {Completed} completed, {Pending} pending, {Reannounced} announced again, {Reported} failed in koku or never recorded, {Superseded} superseded")]
    private static partial void LogCheckFinished(ILogger logger, int @checked, int completed, int pending, int reannounced, int reported, int superseded);
}
