using Microsoft.Extensions.Logging;
using ThanosBridge.Core.Collection.Promql;
using ThanosBridge.Core.Delivery;
using ThanosBridge.Core.Discovery;

namespace ThanosBridge.Adapters.Koku;

/// <summary>One <c>&lt;cluster_id&gt;=&lt;org_id&gt;</c> entry of THANOS_BRIDGE_CLUSTERS, as written (the id not yet validated).</summary>
public sealed record ConfiguredCluster(string ClusterId, string OrgId);

/// <summary>
/// The clusters listed in THANOS_BRIDGE_CLUSTERS, for runs without koku's database: comma-separated
/// <c>&lt;cluster_id&gt;=&lt;org_id&gt;</c> pairs, e.g. <c>a1f0c3d2-…=1234567, b2e1d4c3-…=1234567</c>. The org id must be
/// koku's <c>api_sources.org_id</c> of the cluster's source. Ids that <see cref="ClusterIdValidator"/> rejects are
/// reported as skipped (<see cref="SkipReasons.InvalidClusterId"/>) at discovery.
/// </summary>
public sealed class EnvironmentClusterSource : IClusterSource
{
    public const string VariableName = "THANOS_BRIDGE_CLUSTERS";

    private readonly DiscoveryResult result;
    private readonly ILogger<EnvironmentClusterSource> logger;

    /// <param name="clusters">The entries of <see cref="Parse"/>.</param>
    /// <param name="logger">Receives EventIds 1002 and 1010.</param>
    public EnvironmentClusterSource(IEnumerable<ConfiguredCluster> clusters, ILogger<EnvironmentClusterSource> logger)
    {
        ArgumentNullException.ThrowIfNull(clusters);
        ArgumentNullException.ThrowIfNull(logger);
        this.logger = logger;

        var found = new List<DiscoveredCluster>();
        var skipped = new List<SkippedCluster>();
        foreach (var entry in clusters)
        {
            if (ClusterIdValidator.IsValid(entry.ClusterId, out var reason))
            {
                found.Add(new DiscoveredCluster(entry.ClusterId, entry.OrgId));
            }
            else
            {
                skipped.Add(new SkippedCluster(entry.ClusterId, SkipReasons.InvalidClusterId,
                    $"{VariableName} entry for org {entry.OrgId}: the cluster id is not usable because {reason}"));
            }
        }

        result = new DiscoveryResult(found, skipped);
    }

    /// <summary>Parses the value of THANOS_BRIDGE_CLUSTERS and builds the source.</summary>
    /// <exception cref="FormatException">The value is malformed (see <see cref="Parse"/>).</exception>
    public static EnvironmentClusterSource FromValue(string value, ILogger<EnvironmentClusterSource> logger) =>
        new(Parse(value), logger);

    /// <summary>
    /// Splits <paramref name="value"/> into its entries. Whitespace around entries, ids and org ids is ignored, and
    /// so are empty entries (a trailing comma). The same cluster id may appear for several orgs, as in koku.
    /// Cluster ids are not validated here: discovery reports unusable ones as skipped.
    /// </summary>
    /// <exception cref="FormatException">
    /// The value lists no entry, or an entry has no <c>=</c>, an empty cluster id or org id, an org id with
    /// whitespace or <c>=</c>, or repeats an earlier entry. The message names THANOS_BRIDGE_CLUSTERS and the entry.
    /// </exception>
    public static IReadOnlyList<ConfiguredCluster> Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var entries = new List<ConfiguredCluster>();
        var seen = new HashSet<ConfiguredCluster>();
        var parts = value.Split(',');
        for (var i = 0; i < parts.Length; i++)
        {
            var entry = parts[i].Trim();
            if (entry.Length == 0)
            {
                continue;
            }

            var eq = entry.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                throw Bad(i, entry, "it has no '='; write <cluster_id>=<org_id>");
            }

            var clusterId = entry[..eq].Trim();
            var orgId = entry[(eq + 1)..].Trim();
            if (clusterId.Length == 0)
            {
                throw Bad(i, entry, "the cluster id before '=' is empty");
            }

            if (orgId.Length == 0)
            {
                throw Bad(i, entry, "the org id after '=' is empty; use koku's api_sources.org_id of the cluster's source");
            }

            if (orgId.Contains('=', StringComparison.Ordinal) || orgId.Any(char.IsWhiteSpace))
            {
                throw Bad(i, entry, "the org id contains '=' or whitespace; entries are separated by commas");
            }

            var parsed = new ConfiguredCluster(clusterId, orgId);
            if (!seen.Add(parsed))
            {
                throw Bad(i, entry, "it repeats an earlier entry");
            }

            entries.Add(parsed);
        }

        return entries.Count > 0
            ? entries
            : throw new FormatException($"{VariableName} lists no cluster: expected <cluster_id>=<org_id>[,<cluster_id>=<org_id>…]");
    }

    public Task<DiscoveryResult> DiscoverAsync(CancellationToken cancellationToken)
    {
        foreach (var skipped in result.Skipped)
        {
            Log.SourceSkipped(logger, skipped.ClusterId, skipped.Reason, skipped.Detail);
        }

        Log.EnvironmentDiscoveryCompleted(logger, result.Clusters.Count, result.Skipped.Count);
        return Task.FromResult(result);
    }

    private static FormatException Bad(int index, string entry, string problem) =>
        new($"{VariableName} entry {index + 1} \"{entry}\" is malformed: {problem}");
}
