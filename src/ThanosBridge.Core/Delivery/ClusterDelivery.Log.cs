using Microsoft.Extensions.Logging;
using ThanosBridge.Core.Discovery;

namespace ThanosBridge.Core.Delivery;

/// <summary>The log messages of a cluster's delivery (EventIds 2001, 2002 and 54xx; runbooks quote them verbatim).</summary>
public sealed partial class ClusterDelivery
{
    [LoggerMessage(EventId = 5400, EventName = "SnapshotPackaged", Level = LogLevel.Information,
        Message = "packaged snapshot {Uuid} of cluster {ClusterId}: {Hours} hours ({NewHours} new from hour {FromHour}), {Parts} part(s), {Bytes} bytes")]
    private static partial void LogSnapshotPackaged(ILogger logger, Guid uuid, ClusterId clusterId, int hours, int newHours, int fromHour, int parts, long bytes);

    [LoggerMessage(EventId = 5401, EventName = "PartUploaded", Level = LogLevel.Debug,
        Message = "uploaded part of snapshot {Uuid} of cluster {ClusterId} to {ObjectKey} ({Bytes} bytes)")]
    private static partial void LogPartUploaded(ILogger logger, ClusterId clusterId, Guid uuid, string objectKey, int bytes);

    [LoggerMessage(EventId = 5402, EventName = "PartAnnounced", Level = LogLevel.Debug,
        Message = "announced snapshot {Uuid} of cluster {ClusterId} as request {RequestId} for org {OrgId}")]
    private static partial void LogPartAnnounced(ILogger logger, ClusterId clusterId, Guid uuid, string requestId, string orgId);

    [LoggerMessage(EventId = 5403, EventName = "SnapshotPublished", Level = LogLevel.Information,
        Message = "published snapshot {Uuid} of cluster {ClusterId} with {Hours} hours (re-sent: {Resent})")]
    private static partial void LogSnapshotPublished(ILogger logger, ClusterId clusterId, Guid uuid, int hours, bool resent);

    [LoggerMessage(EventId = 5404, EventName = "ResumingSnapshot", Level = LogLevel.Warning,
        Message = "finishing snapshot {Uuid} of cluster {ClusterId} left in state {State} by an earlier run ({Hours} hours): same uuid, so koku sees it once")]
    private static partial void LogResumingSnapshot(ILogger logger, ClusterId clusterId, Guid uuid, string state, int hours);

    [LoggerMessage(EventId = 5405, EventName = "ResendingSnapshot", Level = LogLevel.Information,
        Message = "re-sending snapshot {Uuid} of cluster {ClusterId} ({Hours} hours) on request; koku skips files it already processed")]
    private static partial void LogResendingSnapshot(ILogger logger, ClusterId clusterId, Guid uuid, int hours);

    [LoggerMessage(EventId = 5406, EventName = "NoNodeData", Level = LogLevel.Warning,
        Message = "no node data in Thanos for cluster {ClusterId} from hour {FromHour} to hour {ToHour} of the day: nothing new to send; check that the hub receives the cluster's metrics")]
    private static partial void LogNoData(ILogger logger, ClusterId clusterId, int fromHour, int toHour);

    [LoggerMessage(EventId = 5411, EventName = "NoDataForDay", Level = LogLevel.Information,
        Message = "no node data in Thanos for cluster {ClusterId} in the {Hours} settled hours of the day and nothing delivered for it yet (before the cluster sent metrics, or beyond Thanos's retention): nothing to send")]
    private static partial void LogNoDataForDay(ILogger logger, ClusterId clusterId, int hours);

    [LoggerMessage(EventId = 2001, EventName = "PodResourcesMissing", Level = LogLevel.Warning,
        Message = "cluster {ClusterId} has pods but no per-pod series for {Columns}: the hub does not receive kube_pod_container_resource_requests/limits per pod; those columns stay empty (never zero) and koku bills usage only; install the allowlist (chart value hubMetrics.allowlist.enabled, or hubMetrics.mcoa.enabled on MCOA hubs)")]
    private static partial void LogPodResourcesMissing(ILogger logger, ClusterId clusterId, string columns);

    [LoggerMessage(EventId = 2002, EventName = "PodResourcesSource", Level = LogLevel.Information,
        Message = "cluster {ClusterId} reads per-pod requests from {RequestsSource} series and limits from {LimitsSource} series (raw: kube_pod_container_resource_*, recorded: thanos_bridge:kube_pod_container_resource_*:max, missing: neither on the hub)")]
    private static partial void LogPodResourcesSource(ILogger logger, ClusterId clusterId, string requestsSource, string limitsSource);

    [LoggerMessage(EventId = 5410, EventName = "DataEndsEarly", Level = LogLevel.Warning,
        Message = "Thanos has node data for cluster {ClusterId} only up to hour {Hours} of the {Settled} settled hours: the snapshot claims {Hours} hours and the next run queries the rest again")]
    private static partial void LogDataEndsEarly(ILogger logger, ClusterId clusterId, int hours, int settled);

    [LoggerMessage(EventId = 5407, EventName = "RecollectingDay", Level = LogLevel.Warning,
        Message = "the last snapshot of cluster {ClusterId} has report headers of another version: collecting the whole day again")]
    private static partial void LogRecollectingDay(ILogger logger, ClusterId clusterId);

    [LoggerMessage(EventId = 5408, EventName = "ClusterFailed", Level = LogLevel.Error,
        Message = "delivery for cluster {ClusterId} failed on day {Day}: {Error}; the other clusters continue and the next run retries")]
    private static partial void LogClusterFailed(ILogger logger, ClusterId clusterId, string day, string error);

    [LoggerMessage(EventId = 5409, EventName = "LedgerFailureNotRecorded", Level = LogLevel.Error,
        Message = "could not record a failure of cluster {ClusterId} in the ledger: {Error}")]
    private static partial void LogLedgerFailureNotRecorded(ILogger logger, ClusterId clusterId, string error);

    [LoggerMessage(EventId = 5412, EventName = "ReannouncingSnapshot", Level = LogLevel.Warning,
        Message = "announcing snapshot {Uuid} of cluster {ClusterId} ({Hours} hours) again: koku has no manifest for it; same uuid and files, uploaded again from the ledger, fresh URL")]
    private static partial void LogReannouncingSnapshot(ILogger logger, ClusterId clusterId, Guid uuid, int hours);
}
