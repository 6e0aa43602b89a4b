using ThanosBridge.Adapters.Recording;
using ThanosBridge.Core.Collection;
using ThanosBridge.Core.Collection.Catalog;
using ThanosBridge.Core.Collection.Prometheus;

namespace ThanosBridge.Adapters.Thanos;

/// <summary>
/// Runs catalog queries for one cluster against the Thanos Query API. With a <paramref name="recorder"/> (<c>once
/// --record</c>), each response body is also written to its recording as it is read, and kept only when the query succeeds.
/// </summary>
public sealed class ThanosQueryExecutor(IThanosQueryClient client, string clusterId, ResponseRecorder? recorder = null) : IQueryExecutor
{
    public async Task ExecuteAsync(QueryDefinition query, string expression, QueryRange range, ISeriesSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(range);
        var request = new QueryRangeRequest(query.Name, clusterId, expression, range.Start, range.End, range.Step, range.Lookback);
        await using var recording = recorder?.Begin(query.Name);
        await client.QueryRangeAsync(request, sink, recording, cancellationToken);
        if (recording is not null)
        {
            await recording.CommitAsync(cancellationToken);
        }
    }
}
