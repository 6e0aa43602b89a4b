using ThanosBridge.Core.Collection;
using ThanosBridge.Core.Collection.Catalog;
using ThanosBridge.Core.Collection.Prometheus;
using ThanosBridge.Core.Discovery;

namespace ThanosBridge.Adapters.Recording;

/// <summary>
/// Answers catalog queries from a directory of recorded <c>query_range</c> response bodies, one file per query named
/// <c>&lt;query name&gt;.json</c> (one cluster's recording, whatever cluster is asked for): the raw bodies <see cref="ResponseRecorder"/> writes, or the re-serialised answers that
/// earlier versions wrote, which are the same format. A missing file is an empty result.
/// </summary>
public sealed class RecordedQueryExecutor(string directory) : IQueryExecutor
{
    public async Task ExecuteAsync(ClusterId cluster, QueryDefinition query, string expression, QueryRange range, ISeriesSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(sink);
        sink.Restart();
        var path = ResponseRecorder.PathFor(directory, query.Name);
        if (!File.Exists(path))
        {
            return;
        }

        await using var stream = File.OpenRead(path);
        try
        {
            await PrometheusJsonReader.ReadQueryRangeAsync(stream, sink.Add, cancellationToken);
        }
        catch (Exception e) when (e is PrometheusResponseFormatException or PrometheusApiException)
        {
            throw new InvalidDataException($"recorded response {path} for query {query.Name} is not a query_range matrix: {e.Message}", e);
        }
    }
}
