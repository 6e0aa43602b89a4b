using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ThanosBridge.Adapters.Thanos;
using ThanosBridge.Core.Collection;
using ThanosBridge.Core.Collection.Catalog;
using ThanosBridge.Core.Collection.Prometheus;
using ThanosBridge.Core.Discovery;
using ThanosBridge.Core.Metrics;

namespace ThanosBridge.Telemetry;

/// <summary>Counts and times every catalog query, and counts empty results (metric families missing on the hub).</summary>
public sealed class InstrumentedQueryExecutor(IQueryExecutor inner, BridgeMetrics metrics, ILogger logger) : IQueryExecutor
{
    public async Task ExecuteAsync(ClusterId cluster, QueryDefinition query, string expression, QueryRange range, ISeriesSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var counted = new CountingSink(sink);
        var tag = new KeyValuePair<string, object?>("query", query.Name);
        var started = Stopwatch.GetTimestamp();
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["query"] = query.Name });
        try
        {
            await inner.ExecuteAsync(cluster, query, expression, range, counted, cancellationToken);
            metrics.Queries.Add(1, tag);
            if (counted.Count == 0)
            {
                metrics.EmptyQueries.Add(1, tag);
            }
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

    /// <summary>Passes series on and counts those of the last reading.</summary>
    private sealed class CountingSink(ISeriesSink inner) : ISeriesSink
    {
        public int Count { get; private set; }

        public void Restart()
        {
            Count = 0;
            inner.Restart();
        }

        public void Add(Series series)
        {
            Count++;
            inner.Add(series);
        }
    }
}
