// Over 300 lines on purpose: one cluster-day's path through the ledger states (Packaged, Uploaded, Published) and
// the recording of its failure, read top to bottom; its rules are in SnapshotPolicy, its log messages beside it.
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using ThanosBridge.Core.Collection;
using ThanosBridge.Core.Collection.Catalog;
using ThanosBridge.Core.Discovery;
using ThanosBridge.Core.Ledger;
using ThanosBridge.Core.Metrics;
using ThanosBridge.Core.Packaging;
using ThanosBridge.Core.Planning;
using ThanosBridge.Core.Reports;

namespace ThanosBridge.Core.Delivery;

/// <summary>How one cluster's part of a run ended.</summary>
public enum ClusterResult
{
    /// <summary>At least one snapshot was announced.</summary>
    Delivered,

    /// <summary>Nothing new: every settled hour was already delivered (or there was no data yet).</summary>
    UpToDate,

    /// <summary>A step failed; the ledger keeps what was done and the next run continues from there.</summary>
    Failed,
}

/// <summary>One announced snapshot, for the run summary.</summary>
public sealed record DeliveredSnapshot(DateOnly Day, int Hours, Guid Uuid, IReadOnlyList<string> ObjectKeys, long Bytes,
    IReadOnlyDictionary<ReportKind, int> Rows, bool Resent);

/// <summary>What happened to one cluster in a run.</summary>
public sealed record ClusterOutcome(ClusterId ClusterId, ClusterResult Result, IReadOnlyList<DeliveredSnapshot> Snapshots, string? Error);

/// <summary>
/// Delivers one cluster's due days (<see cref="DeliveryPlanner"/>), oldest first. For each day: an unfinished snapshot is
/// finished first (same uuid, so koku never sees one snapshot under two uuids); then, if more hours are settled than the
/// last snapshot holds, only the new hours are queried and appended to the last snapshot's tables, packaged under a new
/// v4 uuid, recorded (Packaged), uploaded (Uploaded), announced and recorded Published only after the broker acknowledged.
/// </summary>
public sealed partial class ClusterDelivery(
    IQueryExecutor executor,
    ILedger ledger,
    IPayloadStore store,
    IAnnouncer announcer,
    DeliveryOptions options,
    TimeProvider time,
    BridgeMetrics metrics,
    ILogger<ClusterDelivery> logger)
{
    public const string ActivitySourceName = "ThanosBridge";

    internal static readonly ActivitySource Activities = new(ActivitySourceName);

    private static readonly string[] PodResourceColumns =
        ["pod_request_cpu_core_seconds", "pod_limit_cpu_core_seconds", "pod_request_memory_byte_seconds", "pod_limit_memory_byte_seconds"];

    /// <summary>Runs the cluster's due days. <paramref name="orgs"/> are the koku sources of this cluster id (one per org).</summary>
    public async Task<ClusterOutcome> RunAsync(
        ClusterId clusterId, IReadOnlyList<DiscoveredCluster> orgs, DateTimeOffset now, DateOnly? onlyDay, CancellationToken cancellationToken)
    {
        using var activity = Activities.StartActivity("cluster");
        activity?.SetTag("cluster_id", clusterId);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["cluster_id"] = clusterId });
        var delivered = new List<DeliveredSnapshot>();
        var progress = new Progress { Day = onlyDay ?? DateOnly.FromDateTime(now.UtcDateTime) };
        try
        {
            var fromDay = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-Math.Max(options.BackfillDays, 0) - 1);
            var days = await ledger.GetDaysAsync(clusterId, onlyDay is { } d && d < fromDay ? d : fromDay, cancellationToken);
            foreach (var plan in DeliveryPlanner.Plan(now, options, days, onlyDay))
            {
                progress.Day = plan.Day;
                progress.Uuid = null;
                using var dayScope = logger.BeginScope(new Dictionary<string, object> { ["day"] = plan.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) });
                await DeliverDayAsync(clusterId, orgs, plan, delivered, progress, cancellationToken);
            }

            var result = delivered.Count > 0 ? ClusterResult.Delivered : ClusterResult.UpToDate;
            metrics.ClusterRuns.Add(1, new KeyValuePair<string, object?>("result", Label(result)));
            return new ClusterOutcome(clusterId, result, delivered, null);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var message = ErrorText.Describe(e);
            LogClusterFailed(logger, clusterId, progress.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), message);
            activity?.SetStatus(ActivityStatusCode.Error, message);
            metrics.ClusterRuns.Add(1, new KeyValuePair<string, object?>("result", "failed"));
            await RecordFailureAsync(clusterId, progress.Day, message, progress.Uuid);
            return new ClusterOutcome(clusterId, ClusterResult.Failed, delivered, message);
        }
    }

    private async Task DeliverDayAsync(
        ClusterId clusterId, IReadOnlyList<DiscoveredCluster> orgs, DayPlan plan, List<DeliveredSnapshot> delivered, Progress progress, CancellationToken ct)
    {
        if (plan.State?.Pending is { } pending)
        {
            progress.Uuid = pending.Uuid;
            LogResumingSnapshot(logger, clusterId, pending.Uuid, pending.State.ToString(), pending.Hours);
            delivered.Add(await FinishAsync(orgs, pending, Rows(pending), resent: false, ct));
            plan = plan with { State = plan.State with { Published = pending with { State = SnapshotState.Published }, Pending = null } };
        }

        var latest = plan.State?.Latest;
        if (plan.NeedsNewSnapshot)
        {
            var snapshot = await BuildSnapshotAsync(clusterId, plan, latest, ct);
            if (snapshot is not null)
            {
                progress.Uuid = snapshot.Value.Record.Uuid;
                await ledger.AddPackagedAsync(snapshot.Value.Record, ct);
                delivered.Add(await FinishAsync(orgs, snapshot.Value.Record, snapshot.Value.Rows, resent: false, ct));
            }
        }
        else if (plan.Forced && latest is not null && delivered.Count == 0)
        {
            // once --day with nothing new: announce the same snapshot again (same uuid, fresh URL), e.g. after koku
            // failed to download it. koku skips files it already processed, so this cannot double-count.
            LogResendingSnapshot(logger, clusterId, latest.Uuid, latest.Hours);
            delivered.Add(await FinishAsync(orgs, latest with { State = SnapshotState.Packaged }, Rows(latest), resent: true, ct));
        }
    }

    private async Task<(SnapshotRecord Record, IReadOnlyDictionary<ReportKind, int> Rows)?> BuildSnapshotAsync(
        ClusterId clusterId, DayPlan plan, SnapshotRecord? latest, CancellationToken ct)
    {
        var dayStart = new DateTimeOffset(plan.Day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var previous = latest is null ? null : PayloadReader.ReadTables(latest.Parts.Select(p => p.Content));
        var fromHour = previous is null ? 0 : latest!.Hours;
        var collector = new ReportCollector(executor);
        var added = await collector.CollectAsync(
            new CollectionRequest(clusterId, options.ClusterLabel, dayStart.AddHours(fromHour), plan.AvailableHours - fromHour, options.Step, options.RosEnabled, options.Sampling, options.MaxParallelQueries), ct);
        var tables = previous is null ? added.Tables : SnapshotMerger.Merge(previous, added);
        if (tables is null)
        {
            // The previous snapshot's reports have other headers (an upgrade): collect the whole day again.
            LogRecollectingDay(logger, clusterId);
            added = await collector.CollectAsync(
                new CollectionRequest(clusterId, options.ClusterLabel, dayStart, plan.AvailableHours, options.Step, options.RosEnabled, options.Sampling, options.MaxParallelQueries), ct);
            tables = added.Tables;
        }

        if (!SnapshotPolicy.HasBillableData(added.HoursWithData, tables))
        {
            if (latest is null)
            {
                // Nothing ever delivered for the day: typically before the cluster sent metrics, or beyond Thanos's retention.
                LogNoDataForDay(logger, clusterId, plan.AvailableHours);
            }
            else
            {
                LogNoData(logger, clusterId, fromHour, plan.AvailableHours);
            }

            return null;
        }

        WarnIfPodResourcesMissing(clusterId, added);
        if (added.PodResources is { } sources)
        {
            var requests = PodResourceSupply.Label(sources[PodResourceFamily.Requests]);
            var limits = PodResourceSupply.Label(sources[PodResourceFamily.Limits]);
            LogPodResourcesSource(logger, clusterId, requests, limits);
            metrics.SetPodResources(clusterId, sources);
        }

        var hours = SnapshotPolicy.ClaimedHours(dayStart, added.HoursWithData);
        if (hours < plan.AvailableHours)
        {
            LogDataEndsEarly(logger, clusterId, hours, plan.AvailableHours);
        }

        var uuid = Guid.NewGuid();
        var packaged = DayPayload.Package(clusterId, tables, plan.Day, hours, uuid, time.GetUtcNow(), options.MaxPayloadMegabytes);
        var parts = packaged.Payloads
            .Select(p => new SnapshotPart(p.FileName, SnapshotPolicy.ObjectKey(options.ObjectKeyPrefix, clusterId, plan.Day, p.FileName), p.Content))
            .ToList();
        var rows = tables.ToDictionary(t => t.Kind, t => t.Rows.Count);
        foreach (var table in added.Tables)
        {
            metrics.Rows.Add(table.Rows.Count, new KeyValuePair<string, object?>("report", table.Kind.FileStem()));
        }

        var bytes = parts.Sum(p => (long)p.Content.Length);
        LogSnapshotPackaged(logger, uuid, clusterId, hours, hours - fromHour, fromHour, parts.Count, bytes);
        var now = time.GetUtcNow();
        return (new SnapshotRecord(clusterId, plan.Day, hours, uuid, SnapshotState.Packaged, parts, 0, null, now, now), rows);
    }

    /// <summary>
    /// Announces the day's published snapshot <paramref name="uuid"/> again because koku never recorded it (delivery
    /// confirmation): its parts are uploaded again from the ledger's payload bytes (the object may be gone), and each
    /// is announced with a fresh URL under the same uuid, so koku gets the same manifest and files (koku-ingestion.md §1.8).
    /// </summary>
    /// <exception cref="InvalidOperationException">It is no longer the day's latest published snapshot, or its payload is gone.</exception>
    public async Task ReannounceAsync(
        ClusterId clusterId, IReadOnlyList<DiscoveredCluster> orgs, DateOnly day, Guid uuid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(orgs);
        using var activity = Activities.StartActivity("reannounce");
        activity?.SetTag("cluster_id", clusterId);
        var state = await ledger.GetDayAsync(clusterId, day, cancellationToken);
        if (state?.Published is not { } published || published.Uuid != uuid || state.Pending is not null)
        {
            throw new InvalidOperationException(
                $"snapshot {uuid} of cluster {clusterId} day {day:yyyy-MM-dd} is no longer the day's latest published snapshot; not announced again");
        }

        if (published.Parts.Any(p => p.Content.Length == 0))
        {
            throw new InvalidOperationException($"the ledger no longer holds the payload of snapshot {uuid} of cluster {clusterId} day {day:yyyy-MM-dd}");
        }

        LogReannouncingSnapshot(logger, clusterId, uuid, published.Hours);
        // No row counts: nobody prints a re-announcement's rows, and counting them means reading the whole payload.
        await FinishAsync(orgs, published with { State = SnapshotState.Packaged }, new Dictionary<ReportKind, int>(), resent: true, cancellationToken);
    }

    /// <summary>Uploads (if not yet uploaded) and announces every part, then records the snapshot Published.</summary>
    private async Task<DeliveredSnapshot> FinishAsync(
        IReadOnlyList<DiscoveredCluster> orgs, SnapshotRecord snapshot, IReadOnlyDictionary<ReportKind, int> rows, bool resent, CancellationToken ct)
    {
        var clusterId = snapshot.ClusterId;
        if (snapshot.State == SnapshotState.Packaged)
        {
            using (var upload = Activities.StartActivity("upload"))
            {
                foreach (var part in snapshot.Parts)
                {
                    try
                    {
                        await store.UploadAsync(part.ObjectKey, part.Content, ct);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        metrics.S3Failures.Add(1);
                        upload?.SetStatus(ActivityStatusCode.Error);
                        throw;
                    }

                    LogPartUploaded(logger, clusterId, snapshot.Uuid, part.ObjectKey, part.Content.Length);
                }
            }

            if (!resent)
            {
                await ledger.MarkAsync(clusterId, snapshot.Day, snapshot.Uuid, SnapshotState.Uploaded, ct);
            }
        }

        using (var publish = Activities.StartActivity("publish"))
        {
            for (var i = 0; i < snapshot.Parts.Count; i++)
            {
                var part = snapshot.Parts[i];
                for (var o = 0; o < orgs.Count; o++)
                {
                    var requestId = snapshot.Uuid.ToString("N") + (snapshot.Parts.Count > 1 ? $"-{i}" : "") + (orgs.Count > 1 ? $"-{o}" : "");
                    Uri url;
                    try
                    {
                        url = await store.GetDownloadUrlAsync(part.ObjectKey, ct);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        metrics.S3Failures.Add(1);
                        publish?.SetStatus(ActivityStatusCode.Error);
                        throw;
                    }

                    try
                    {
                        await announcer.AnnounceAsync(clusterId, new Announcement(requestId, orgs[o].OrgId, orgs[o].Account, url, time.GetUtcNow()), ct);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        metrics.KafkaFailures.Add(1);
                        metrics.Payloads.Add(1, new KeyValuePair<string, object?>("result", "failure"));
                        publish?.SetStatus(ActivityStatusCode.Error);
                        throw;
                    }

                    LogPartAnnounced(logger, clusterId, snapshot.Uuid, requestId, orgs[o].OrgId);
                }

                metrics.Payloads.Add(1, new KeyValuePair<string, object?>("result", "success"));
                metrics.PayloadBytes.Record(part.Content.Length);
            }
        }

        await ledger.MarkAsync(clusterId, snapshot.Day, snapshot.Uuid, SnapshotState.Published, ct);
        if (resent)
        {
            // Delivery confirmation counts the announcements of a published snapshot and waits from the newest.
            await ledger.RecordReannouncedAsync(clusterId, snapshot.Day, snapshot.Uuid, ct);
        }

        var hourEnd = new DateTimeOffset(snapshot.Day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddHours(snapshot.Hours);
        metrics.SetLastDelivered(clusterId, hourEnd);
        LogSnapshotPublished(logger, clusterId, snapshot.Uuid, snapshot.Hours, resent);
        return new DeliveredSnapshot(snapshot.Day, snapshot.Hours, snapshot.Uuid, [.. snapshot.Parts.Select(p => p.ObjectKey)],
            snapshot.Parts.Sum(p => (long)p.Content.Length), rows, resent);
    }

    /// <summary>
    /// Bridge decision i: the per-pod series can be missing on the hub (MCO withholds them on single-node clusters, a
    /// custom allowlist may remove them) and neither the raw nor the recorded ones were there. The columns then stay empty (never invented); say so once per collection.
    /// </summary>
    private void WarnIfPodResourcesMissing(ClusterId clusterId, ReportSet added)
    {
        var pod = added.Tables.FirstOrDefault(t => t.Kind == ReportKind.Pod);
        if (pod is null || pod.Rows.Count == 0)
        {
            return;
        }

        var missing = PodResourceColumns
            .Where(column =>
            {
                var index = IndexOf(pod.Header, column);
                return pod.Rows.All(r => r[index].Length == 0);
            })
            .ToList();
        if (missing.Count > 0)
        {
            LogPodResourcesMissing(logger, clusterId, string.Join(", ", missing));
        }
    }

    private static int IndexOf(IReadOnlyList<string> header, string column)
    {
        for (var i = 0; i < header.Count; i++)
        {
            if (header[i] == column)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"the pod report has no column {column}");
    }

    private static Dictionary<ReportKind, int> Rows(SnapshotRecord snapshot) =>
        PayloadReader.ReadTables(snapshot.Parts.Select(p => p.Content)).ToDictionary(t => t.Kind, t => t.Rows.Count);

    private async Task RecordFailureAsync(ClusterId clusterId, DateOnly day, string message, Guid? uuid)
    {
        try
        {
            // Not the run's token: a failure must be recorded even while the run is being cancelled.
            await ledger.RecordFailureAsync(clusterId, day, uuid, message, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogLedgerFailureNotRecorded(logger, clusterId, ErrorText.Describe(e));
        }
    }

    /// <summary>The exception chain as one line; adapters never put secrets or URLs in their messages.</summary>
    /// <summary>Where the run for one cluster is, so that a failure is recorded once, against the right day and snapshot.</summary>
    private sealed class Progress
    {
        public DateOnly Day { get; set; }

        public Guid? Uuid { get; set; }
    }

    private static string Label(ClusterResult result) => result switch
    {
        ClusterResult.Delivered => "delivered",
        ClusterResult.UpToDate => "up_to_date",
        _ => "failed",
    };
}
