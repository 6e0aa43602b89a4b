using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ThanosBridge.Adapters.Thanos;
using ThanosBridge.Core.Catalog;
using ThanosBridge.Core.Collection;
using ThanosBridge.Core.Prometheus;
using ThanosBridge.Core.Telemetry;

namespace ThanosBridge.Delivery;

/// <summary>Counts and times every catalog query, and reports metric families that are missing on the hub.</summary>
public sealed partial class InstrumentedQueryExecutor(IQueryExecutor inner, string clusterId, BridgeMetrics metrics, ILogger logger) : IQueryExecutor
{
    public async Task<QueryResult> ExecuteAsync(QueryDefinition query, string expression, QueryRange range, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var tag = new KeyValuePair<string, object?>("query", query.Name);
        var started = Stopwatch.GetTimestamp();
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["query"] = query.Name });
        try
        {
            var result = await inner.ExecuteAsync(query, expression, range, cancellationToken);
            metrics.Queries.Add(1, tag);
            if (result.Series.Count == 0)
            {
                metrics.EmptyQueries.Add(1, tag);
                if (query.Name.StartsWith("pod-request-", StringComparison.Ordinal) || query.Name.StartsWith("pod-limit-", StringComparison.Ordinal))
                {
                    // Bridge decision i: MCO may forward only namespace-level request/limit rules. Never invent values.
                    LogPodResourcesMissing(logger, query.Name, clusterId);
                }
            }

            return result;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var reason = e is ThanosQueryException t ? t.Reason.ToString() : e.GetType().Name;
            metrics.QueryFailures.Add(1, tag, new KeyValuePair<string, object?>("reason", reason));
            throw;
        }
        finally
        {
            metrics.QueryDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tag);
        }
    }

    [LoggerMessage(EventId = 2100, EventName = "PodResourcesMissing", Level = LogLevel.Warning,
        Message = "query {Query} returned no series for cluster {ClusterId}: the hub does not receive per-pod kube_pod_container_resource_* series; the pod CSV's request/limit columns stay empty (never zero)")]
    private static partial void LogPodResourcesMissing(ILogger logger, string query, string clusterId);
}
