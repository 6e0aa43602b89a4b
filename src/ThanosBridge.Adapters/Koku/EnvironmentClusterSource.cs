using Microsoft.Extensions.Logging;
using ThanosBridge.Core.Discovery;

namespace ThanosBridge.Adapters.Koku;

/// <summary>
/// The clusters listed in THANOS_BRIDGE_CLUSTERS, for runs without koku's database: comma-separated
/// <c>&lt;cluster_id&gt;=&lt;org_id&gt;</c> pairs, e.g. <c>a1f0c3d2-…=1234567, b2e1d4c3-…=1234567</c>. The org id must be
/// koku's <c>api_sources.org_id</c> of the cluster's source. The settings parse and validate the list at start-up (an
/// invalid entry stops the process), so every cluster here is delivered for.
/// </summary>
/// <param name="logger">Receives EventId 1010.</param>
public sealed class EnvironmentClusterSource(IReadOnlyList<DiscoveredCluster> clusters, ILogger<EnvironmentClusterSource> logger) : IClusterSource
{
    public const string VariableName = "THANOS_BRIDGE_CLUSTERS";

    private readonly DiscoveryResult result = new(clusters, []);

    public Task<DiscoveryResult> DiscoverAsync(CancellationToken cancellationToken)
    {
        Log.EnvironmentDiscoveryCompleted(logger, result.Clusters.Count, result.Skipped.Count);
        return Task.FromResult(result);
    }
}
