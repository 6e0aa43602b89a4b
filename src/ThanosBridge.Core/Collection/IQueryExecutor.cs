using ThanosBridge.Core.Collection.Catalog;
using ThanosBridge.Core.Collection.Prometheus;
using ThanosBridge.Core.Discovery;

namespace ThanosBridge.Core.Collection;

/// <summary>The time range and step of one range query, and the lookback to ask for (none: the server's default).</summary>
public sealed record QueryRange(DateTimeOffset Start, DateTimeOffset End, TimeSpan Step, TimeSpan? Lookback = null);

/// <summary>
/// Runs one catalog query whose expression already carries the cluster matcher: against Thanos in production,
/// against recorded responses in <c>replay</c>. The cluster travels with each call (the matcher was made from it), so one
/// executor serves every cluster and labels its errors, logs, metrics and recordings with the cluster queried.
/// </summary>
public interface IQueryExecutor
{
    /// <summary>
    /// Hands every series of the answer to <paramref name="sink"/> as it is read (<see cref="ISeriesSink.Restart"/> first,
    /// and again before a retried attempt). Warnings are the executor's to log or fail on.
    /// </summary>
    Task ExecuteAsync(ClusterId cluster, QueryDefinition query, string expression, QueryRange range, ISeriesSink sink, CancellationToken cancellationToken);
}

public static class QueryExecutorExtensions
{
    /// <summary>The whole answer, for the queries that need it at once.</summary>
    public static async Task<QueryResult> ExecuteAsync(
        this IQueryExecutor executor, ClusterId cluster, QueryDefinition query, string expression, QueryRange range, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(executor);
        var answer = new SeriesList();
        await executor.ExecuteAsync(cluster, query, expression, range, answer, cancellationToken);
        return new QueryResult(answer.Series, []);
    }
}
