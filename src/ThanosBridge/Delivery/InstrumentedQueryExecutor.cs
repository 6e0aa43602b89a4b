using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ThanosBridge.Adapters.Thanos;
using ThanosBridge.Core.Catalog;
using ThanosBridge.Core.Collection;
using ThanosBridge.Core.Prometheus;
using ThanosBridge.Core.Telemetry;

namespace ThanosBridge.Delivery;

/// <summary>Counts and times every catalog query, and counts empty results (metric families missing on the hub).</summary>
public sealed class InstrumentedQueryExecutor(IQueryExecutor inner, BridgeMetrics metrics, ILogger logger) : IQueryExecutor
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

}
