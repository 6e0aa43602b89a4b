using ThanosBridge.Core.Collection.Prometheus;

namespace ThanosBridge.Adapters.Thanos;

/// <summary>The two calls the bridge makes against the Thanos Query (or Prometheus) HTTP API.</summary>
public interface IThanosQueryClient
{
    /// <summary>Runs a range query; the result is a matrix.</summary>
    /// <exception cref="ThanosQueryException">The query failed after the configured retries.</exception>
    Task<QueryResult> QueryRangeAsync(QueryRangeRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Runs a range query and hands each series of the matrix to <paramref name="sink"/> as it is read (restarted before
    /// every attempt); returns the response's warnings that were kept. With a <paramref name="bodyCopy"/>, each attempt's
    /// response body is also copied there (restarted before every attempt's body) as it is read and parsed.
    /// </summary>
    /// <exception cref="ThanosQueryException">The query failed after the configured retries.</exception>
    /// <exception cref="ResponseBodyCopyException">Writing the copy failed; the query is not retried.</exception>
    Task<IReadOnlyList<string>> QueryRangeAsync(
        QueryRangeRequest request, ISeriesSink sink, IResponseBodyCopy? bodyCopy, CancellationToken cancellationToken);

    /// <summary>The values of one label across all series (e.g. <c>clusterID</c>).</summary>
    /// <exception cref="ThanosQueryException">The call failed after the configured retries.</exception>
    Task<IReadOnlyList<string>> LabelValuesAsync(string labelName, CancellationToken cancellationToken);
}
