using ThanosBridge.Adapters.Recording;
using ThanosBridge.Core.Collection;
using ThanosBridge.Core.Collection.Catalog;
using ThanosBridge.Core.Collection.Prometheus;
using ThanosBridge.Core.Discovery;

namespace ThanosBridge.Adapters.Thanos;

/// <summary>
/// Runs catalog queries against the Thanos Query API. With a <paramref name="recordDirectory"/> (<c>once --record</c>),
/// each response body is also written as it is read to <c>&lt;record directory&gt;/&lt;cluster id&gt;/</c>, and kept
/// only when the query succeeds.
/// </summary>
public sealed class ThanosQueryExecutor(IThanosQueryClient client, string? recordDirectory = null) : IQueryExecutor
{
    public async Task ExecuteAsync(ClusterId cluster, QueryDefinition query, string expression, QueryRange range, ISeriesSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(range);
        var request = new QueryRangeRequest(query.Name, cluster, expression, range.Start, range.End, range.Step, range.Lookback);
        var recorder = recordDirectory is null ? null : new ResponseRecorder(Path.Combine(recordDirectory, cluster.Value));
        await using var recording = recorder?.Begin(query.Name);
        await client.QueryRangeAsync(request, sink, recording, cancellationToken);
        if (recording is not null)
        {
            await recording.CommitAsync(cancellationToken);
        }
    }
}
