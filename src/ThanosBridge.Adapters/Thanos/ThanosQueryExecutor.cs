using ThanosBridge.Adapters.Thanos;
using ThanosBridge.Core.Collection;
using ThanosBridge.Core.Collection.Catalog;
using ThanosBridge.Core.Collection.Prometheus;

namespace ThanosBridge.Adapters.Thanos;

/// <summary>Runs catalog queries for one cluster against the Thanos Query API.</summary>
public sealed class ThanosQueryExecutor(IThanosQueryClient client, string clusterId) : IQueryExecutor
{
    public Task ExecuteAsync(QueryDefinition query, string expression, QueryRange range, ISeriesSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(range);
        return client.QueryRangeAsync(
            new QueryRangeRequest(query.Name, clusterId, expression, range.Start, range.End, range.Step, range.Lookback), sink, cancellationToken);
    }
}
