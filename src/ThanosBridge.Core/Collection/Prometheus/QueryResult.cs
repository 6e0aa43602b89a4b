namespace ThanosBridge.Core.Collection.Prometheus;

/// <summary>
/// A matrix returned by <c>/api/v1/query_range</c>: the series in response order, and the response's
/// <c>warnings</c> (which Thanos sends for partial answers; the caller decides whether they are fatal).
/// </summary>
public sealed record QueryResult(IReadOnlyList<Series> Series, IReadOnlyList<string> Warnings)
{
    public static QueryResult Empty { get; } = new([], []);
}
