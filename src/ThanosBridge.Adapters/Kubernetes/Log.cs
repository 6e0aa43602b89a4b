using Microsoft.Extensions.Logging;

namespace ThanosBridge.Adapters.Kubernetes;

/// <summary>Log events of the ManagedCluster lister (EventIds 1250–1259, Discovery stage: auto-registration).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1250, EventName = "ManagedClustersListed", Level = LogLevel.Debug,
        Message = "listed {Count} ManagedClusters at {ApiServer} (label selector {LabelSelector}) in {Pages} page(s)")]
    public static partial void ManagedClustersListed(ILogger logger, int count, string apiServer, string labelSelector, int pages);
}
