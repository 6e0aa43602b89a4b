using System.Collections.Concurrent;
using ThanosBridge.Core.Collection.Promql;

namespace ThanosBridge.Core.Collection.Catalog;

/// <summary>
/// Metrics CMMO's queries read that ACM's metrics collector forwards under another name: MCO's default allowlist
/// (<c>metrics_allowlist.yaml</c>, <c>renames</c>) renames them on the way to the hub, values and labels unchanged, and
/// no custom allowlist undoes a default rename. The multicluster-observability-addon forwards them unrenamed. A query
/// reading one of them reads the hub's name wherever CMMO's is absent, series by series (<see cref="RenamedMetricFallback"/>).
/// </summary>
public static class HubRenames
{
    /// <summary>CMMO's name → the name MCO's default allowlist forwards it under.</summary>
    public static IReadOnlyDictionary<string, string> ByCmmoName { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["node_namespace_pod_container:container_cpu_usage_seconds_total:sum_irate"] = "node_namespace_pod_container:container_cpu_usage_seconds_total:sum_rate5m",
    };

    /// <summary><paramref name="expression"/> reading each renamed metric under either name (unchanged when it reads none).</summary>
    public static string ReadFrom(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        // Planned for every cluster-day: each catalog expression is rewritten once per process.
        return ByCmmoName.Keys.Any(name => expression.Contains(name, StringComparison.Ordinal))
            ? Rewritten.GetOrAdd(expression, static e => RenamedMetricFallback.Apply(e, ByCmmoName))
            : expression;
    }

    private static readonly ConcurrentDictionary<string, string> Rewritten = new(StringComparer.Ordinal);
}
