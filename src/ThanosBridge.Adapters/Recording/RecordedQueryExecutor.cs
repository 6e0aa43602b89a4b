using ThanosBridge.Core.Collection;
using ThanosBridge.Core.Collection.Catalog;
using ThanosBridge.Core.Collection.Prometheus;

namespace ThanosBridge.Adapters.Recording;

/// <summary>
/// Answers catalog queries from a directory of recorded <c>query_range</c> response bodies, one file per query named
/// <c>&lt;query name&gt;.json</c> (the format <see cref="RecordingQueryExecutor"/> writes). A missing file is an empty result.
/// </summary>
public sealed class RecordedQueryExecutor(string directory) : IQueryExecutor
{
    public async Task ExecuteAsync(QueryDefinition query, string expression, QueryRange range, ISeriesSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(sink);
        sink.Restart();
        var path = RecordingQueryExecutor.PathFor(directory, query.Name);
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

/// <summary>Passes queries through and writes each response to <c>&lt;directory&gt;/&lt;query name&gt;.json</c> for replay.</summary>
public sealed class RecordingQueryExecutor(IQueryExecutor inner, string directory) : IQueryExecutor
{
    public static string PathFor(string directory, string queryName) => Path.Combine(directory, queryName + ".json");

    public async Task ExecuteAsync(QueryDefinition query, string expression, QueryRange range, ISeriesSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(sink);
        // A recording is a debugging aid: the answer is held whole so it can be written, then passed on.
        var result = await inner.ExecuteAsync(query, expression, range, cancellationToken);
        Directory.CreateDirectory(directory);
        await using (var file = File.Create(PathFor(directory, query.Name)))
        {
            PrometheusJsonWriter.Write(result, file);
        }

        sink.Restart();
        foreach (var series in result.Series)
        {
            sink.Add(series);
        }
    }
}
