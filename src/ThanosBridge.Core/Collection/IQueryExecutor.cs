using ThanosBridge.Core.Catalog;
using ThanosBridge.Core.Prometheus;

namespace ThanosBridge.Core.Collection;

/// <summary>The time range and step of one range query, and the lookback to ask for (none: the server's default).</summary>
public sealed record QueryRange(DateTimeOffset Start, DateTimeOffset End, TimeSpan Step, TimeSpan? Lookback = null);

/// <summary>
/// Runs one catalog query whose expression already carries the cluster matcher: against Thanos in production,
/// against recorded responses in <c>replay</c>.
/// </summary>
public interface IQueryExecutor
{
    Task<QueryResult> ExecuteAsync(QueryDefinition query, string expression, QueryRange range, CancellationToken cancellationToken);
}
