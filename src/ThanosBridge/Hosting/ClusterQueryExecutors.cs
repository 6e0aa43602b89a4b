using Microsoft.Extensions.Logging;
using ThanosBridge.Adapters.Recording;
using ThanosBridge.Adapters.Thanos;
using ThanosBridge.Core.Collection;
using ThanosBridge.Core.Metrics;
using ThanosBridge.Telemetry;

namespace ThanosBridge.Hosting;

/// <summary>
/// The query executor of one cluster: Thanos with the cluster's label injected, each response body also written as
/// received to <c>&lt;record directory&gt;/&lt;cluster id&gt;/</c> when <c>once --record</c> asked for it, counted and timed
/// in the metrics.
/// </summary>
public sealed class ClusterQueryExecutors(IThanosQueryClient thanos, BridgeMetrics metrics, ILogger<InstrumentedQueryExecutor> logger, string? recordDirectory)
{
    public IQueryExecutor For(string clusterId)
    {
        var recorder = recordDirectory is null ? null : new ResponseRecorder(Path.Combine(recordDirectory, clusterId));
        return new InstrumentedQueryExecutor(new ThanosQueryExecutor(thanos, clusterId, recorder), metrics, logger);
    }
}
