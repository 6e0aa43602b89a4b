using ThanosBridge.Core.Discovery;

namespace ThanosBridge.Adapters.Thanos;

/// <summary>
/// One range query. <see cref="Expression"/> already holds the cluster matcher; <see cref="QueryName"/> and
/// <see cref="ClusterId"/> only label errors, logs and metrics. <see cref="Lookback"/> is sent as Thanos's
/// <c>lookback_delta</c> when set (a plain Prometheus ignores it and uses its <c>--query.lookback-delta</c>).
/// </summary>
public sealed record QueryRangeRequest(
    string QueryName,
    ClusterId ClusterId,
    string Expression,
    DateTimeOffset Start,
    DateTimeOffset End,
    TimeSpan Step,
    TimeSpan? Lookback = null);
