using ThanosBridge.Core.Collection.Promql;

namespace ThanosBridge.Core.Discovery;

/// <summary>What registration does with one ManagedCluster.</summary>
public enum RegistrationAction
{
    /// <summary>No koku source has the cluster id: create one.</summary>
    Register,

    /// <summary>A koku source has the cluster id (in any org, in any state): nothing to do.</summary>
    AlreadyRegistered,

    /// <summary>Not to be registered (see <see cref="RegistrationSkipReasons"/>).</summary>
    Skip,

    /// <summary>Would be registered, but registering is unsafe now (see <see cref="RegistrationFailureReasons.KokuOrgUnknown"/>): a failure.</summary>
    Refuse,
}

/// <summary>The decision about one ManagedCluster.</summary>
/// <param name="ClusterId">The id.k8s.io claim (null when there is none).</param>
/// <param name="Reason">For Skip a <see cref="RegistrationSkipReasons"/> value, for Refuse a <see cref="RegistrationFailureReasons"/> value.</param>
/// <param name="Detail">Why, in a sentence an operator can act on.</param>
public sealed record RegistrationDecision(string Name, string? ClusterId, RegistrationAction Action, string? Reason, string Detail);

/// <summary>The decisions of one run, in ManagedCluster name order, and the bridge's sources whose ManagedCluster is gone.</summary>
public sealed record RegistrationPlan(IReadOnlyList<RegistrationDecision> Decisions, IReadOnlyList<KokuOcpSource> Disappeared);

/// <summary>
/// Which ManagedClusters to register in koku and why the others are not (pure: no I/O, no clock). The checks, in
/// order: the hub itself; the id.k8s.io claim present and a usable cluster id; a koku source with that id (in any org:
/// a cluster is never registered twice); joined; available; one registration per cluster id. A source the bridge
/// created (its identity's user name and org) whose cluster id no ManagedCluster claims any more has disappeared: it
/// is reported, never deleted (deleting a source destroys its cost history).
/// </summary>
public static class RegistrationRules
{
    /// <summary>The name ACM gives the hub's own ManagedCluster.</summary>
    public const string LocalClusterName = "local-cluster";

    /// <summary>The label ACM puts on the hub's own ManagedCluster (value "true").</summary>
    public const string LocalClusterLabel = "local-cluster";

    /// <summary>The cluster claim that holds the OpenShift cluster id.</summary>
    public const string ClusterIdClaim = "id.k8s.io";

    public const string JoinedCondition = "ManagedClusterJoined";
    public const string AvailableCondition = "ManagedClusterConditionAvailable";

    public static RegistrationPlan Plan(IReadOnlyList<ManagedCluster> clusters, KokuSourceInventory koku, RegistrationOptions options)
    {
        ArgumentNullException.ThrowIfNull(clusters);
        ArgumentNullException.ThrowIfNull(koku);
        ArgumentNullException.ThrowIfNull(options);

        // The first source of a cluster id stands for it (the lowest source id: koku's listener takes the first too).
        var sources = koku.Sources
            .OrderBy(s => s.SourceId)
            .GroupBy(s => s.ClusterId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var registering = new Dictionary<string, string>(StringComparer.Ordinal);
        var decisions = new List<RegistrationDecision>(clusters.Count);
        foreach (var cluster in clusters.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            var decision = Decide(cluster, sources, options);
            if (decision.Action == RegistrationAction.Register)
            {
                if (registering.TryGetValue(decision.ClusterId!, out var first))
                {
                    decision = Skip(cluster, RegistrationSkipReasons.DuplicateClusterId,
                        $"ManagedCluster {first} claims the same cluster id {decision.ClusterId} and is the one registered; detach the stale one");
                }
                else
                {
                    registering.Add(decision.ClusterId!, cluster.Name);
                    if (!koku.OrgKnown)
                    {
                        decision = decision with
                        {
                            Action = RegistrationAction.Refuse,
                            Reason = RegistrationFailureReasons.KokuOrgUnknown,
                            Detail = $"org {options.OrgId} (THANOS_BRIDGE_KOKU_ORG_ID) is not a koku customer; registering would create a " +
                                     "new, empty tenant nobody sees. Check the org id, or log in to cost management once with a user of that org",
                        };
                    }
                }
            }

            decisions.Add(decision);
        }

        var claimed = clusters.Select(c => c.ClusterIdClaim).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var disappeared = koku.Sources
            .Where(s => s.OrgId == options.OrgId && s.CreatedBy == options.Username && !claimed.Contains(s.ClusterId))
            .OrderBy(s => s.SourceId)
            .ToList();
        return new RegistrationPlan(decisions, disappeared);
    }

    /// <summary>True for the hub's own ManagedCluster.</summary>
    public static bool IsLocalCluster(ManagedCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return cluster.Name == LocalClusterName
               || (cluster.Labels.TryGetValue(LocalClusterLabel, out var value) && string.Equals(value, "true", StringComparison.OrdinalIgnoreCase));
    }

    private static RegistrationDecision Decide(ManagedCluster cluster, Dictionary<string, KokuOcpSource> sources, RegistrationOptions options)
    {
        var id = cluster.ClusterIdClaim;
        if (!options.IncludeLocalCluster && IsLocalCluster(cluster))
        {
            return Skip(cluster, RegistrationSkipReasons.LocalCluster,
                "the hub itself (name local-cluster or label local-cluster=true); set THANOS_BRIDGE_AUTO_REGISTER_LOCAL_CLUSTER=true to register it");
        }

        if (string.IsNullOrEmpty(id))
        {
            return Skip(cluster, RegistrationSkipReasons.NoClusterId,
                $"status.clusterClaims has no {ClusterIdClaim} claim (yet), so the cluster id is unknown; the klusterlet reports it once the cluster has joined");
        }

        if (!ClusterId.TryParse(id, out _, out var invalid))
        {
            return Skip(cluster, RegistrationSkipReasons.InvalidClusterId, $"the {ClusterIdClaim} claim is not usable as a cluster id because {invalid}");
        }

        if (sources.TryGetValue(id, out var source))
        {
            var org = source.OrgId == options.OrgId ? "" : $" of org {source.OrgId ?? "(none)"}, not THANOS_BRIDGE_KOKU_ORG_ID {options.OrgId}";
            return new RegistrationDecision(cluster.Name, id, RegistrationAction.AlreadyRegistered, null,
                $"koku source {source.SourceId} ({source.Name}){org} has cluster id {id}");
        }

        if (!IsTrue(cluster, JoinedCondition, out var joined))
        {
            return Skip(cluster, RegistrationSkipReasons.NotJoined, $"{JoinedCondition} is {joined}");
        }

        if (!IsTrue(cluster, AvailableCondition, out var available))
        {
            return Skip(cluster, RegistrationSkipReasons.NotAvailable, $"{AvailableCondition} is {available}");
        }

        return new RegistrationDecision(cluster.Name, id, RegistrationAction.Register, null,
            $"no koku source has cluster id {id}; joined and available");
    }

    private static bool IsTrue(ManagedCluster cluster, string type, out string state)
    {
        var condition = cluster.Conditions.FirstOrDefault(c => c.Type == type);
        if (condition is null)
        {
            state = "missing";
            return false;
        }

        var why = string.Join(": ", new[] { condition.Reason, condition.Message }.Where(s => !string.IsNullOrWhiteSpace(s)));
        state = why.Length == 0 ? condition.Status : $"{condition.Status} ({why})";
        return condition.Status == "True";
    }

    private static RegistrationDecision Skip(ManagedCluster cluster, string reason, string detail) =>
        new(cluster.Name, cluster.ClusterIdClaim, RegistrationAction.Skip, reason, detail);
}
