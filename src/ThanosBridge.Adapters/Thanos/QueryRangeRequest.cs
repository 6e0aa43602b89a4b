namespace ThanosBridge.Adapters.Thanos;

/// <summary>
/// One range query. <see cref="Expression"/> already holds the cluster matcher; <see cref="QueryName"/> and
/// <see cref="ClusterId"/> only label errors, logs and metrics.
/// </summary>
public sealed record QueryRangeRequest(
    string QueryName,
    string ClusterId,
    string Expression,
    DateTimeOffset Start,
    DateTimeOffset End,
    TimeSpan Step);
