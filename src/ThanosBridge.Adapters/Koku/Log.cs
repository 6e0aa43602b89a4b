using Microsoft.Extensions.Logging;

namespace ThanosBridge.Adapters.Koku;

/// <summary>Log events of cluster discovery (EventIds 1000–1099, Discovery stage) and of koku's side of auto-registration (1260–1269).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1001, EventName = "KokuDiscoveryCompleted", Level = LogLevel.Information,
        Message = "koku discovery found {ClusterCount} clusters to deliver for and skipped {SkippedCount} sources (database {Database} at {Host}:{Port})")]
    public static partial void KokuDiscoveryCompleted(ILogger logger, int clusterCount, int skippedCount, string database, string host, int port);

    [LoggerMessage(EventId = 1002, EventName = "ClusterSkipped", Level = LogLevel.Warning,
        Message = "cluster {ClusterId} is not delivered for ({SkipReason}): {SkipDetail}")]
    public static partial void SourceSkipped(ILogger logger, string clusterId, string skipReason, string skipDetail);

    [LoggerMessage(EventId = 1003, EventName = "DuplicateKokuSource", Level = LogLevel.Warning,
        Message = "cluster {ClusterId} of org {OrgId} is registered by source {KeptSourceId} and again by source {DuplicateSourceId}; delivering once, for the first (koku's listener matches the first too)")]
    public static partial void DuplicateSource(ILogger logger, string clusterId, string orgId, int keptSourceId, int duplicateSourceId);

    [LoggerMessage(EventId = 1004, EventName = "ClusterStopped", Level = LogLevel.Information,
        Message = "cluster {ClusterId} is not delivered for ({SkipReason}): {SkipDetail}")]
    public static partial void SourceStopped(ILogger logger, string clusterId, string skipReason, string skipDetail);

    [LoggerMessage(EventId = 1010, EventName = "EnvironmentDiscoveryCompleted", Level = LogLevel.Information,
        Message = "THANOS_BRIDGE_CLUSTERS lists {ClusterCount} clusters to deliver for; {SkippedCount} skipped")]
    public static partial void EnvironmentDiscoveryCompleted(ILogger logger, int clusterCount, int skippedCount);

    [LoggerMessage(EventId = 1260, EventName = "KokuSourceCreated", Level = LogLevel.Debug,
        Message = "koku created source {SourceId} for cluster {ClusterId} ({SourcesUrl})")]
    public static partial void KokuSourceCreated(ILogger logger, string clusterId, string sourceId, Uri sourcesUrl);

    [LoggerMessage(EventId = 1261, EventName = "KokuSourcesRead", Level = LogLevel.Debug,
        Message = "koku has {SourceCount} OCP sources ({OwnCount} created by the bridge's identity); org {OrgId} is a koku customer: {OrgKnown}")]
    public static partial void KokuSourcesRead(ILogger logger, int sourceCount, int ownCount, string orgId, bool orgKnown);
}
