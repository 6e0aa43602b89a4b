namespace ThanosBridge.Core.Discovery;

/// <summary>
/// An ACM <c>ManagedCluster</c> (<c>cluster.open-cluster-management.io/v1</c>, cluster-scoped), reduced to what
/// registration decides on.
/// </summary>
/// <param name="Name">metadata.name: the koku source's name when the cluster is registered.</param>
/// <param name="Labels">metadata.labels.</param>
/// <param name="ClusterIdClaim">The value of the <c>id.k8s.io</c> claim in status.clusterClaims (the OpenShift ClusterVersion id, which MCO also writes as the clusterID label), or null.</param>
/// <param name="Conditions">status.conditions.</param>
public sealed record ManagedCluster(
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    string? ClusterIdClaim,
    IReadOnlyList<ManagedClusterCondition> Conditions);

/// <summary>One entry of a ManagedCluster's status.conditions.</summary>
public sealed record ManagedClusterCondition(string Type, string Status, string? Reason = null, string? Message = null);

/// <summary>An OCP source koku has (api_sources), whatever its state: a cluster id that has one is never registered again.</summary>
/// <param name="ClusterId">The source's credentials' cluster_id.</param>
/// <param name="SourceId">api_sources.source_id.</param>
/// <param name="Name">api_sources.name.</param>
/// <param name="OrgId">api_sources.org_id.</param>
/// <param name="CreatedBy">The user name of the identity that created the source (api_sources.auth_header), when readable.</param>
public sealed record KokuOcpSource(string ClusterId, int SourceId, string Name, string? OrgId, string? CreatedBy);

/// <summary>What koku has, as registration needs it: every OCP source not being deleted, and whether the org is a koku customer.</summary>
public sealed record KokuSourceInventory(IReadOnlyList<KokuOcpSource> Sources, bool OrgKnown);

/// <summary>Lists the ManagedClusters on the hub (the label selector is the adapter's setting).</summary>
public interface IManagedClusterLister
{
    /// <exception cref="RegistrationException">The Kubernetes API could not be read (reason <see cref="RegistrationFailureReasons.KubernetesForbidden"/> or <see cref="RegistrationFailureReasons.KubernetesUnavailable"/>).</exception>
    Task<IReadOnlyList<ManagedCluster>> ListAsync(CancellationToken cancellationToken);
}

/// <summary>Reads koku's OCP sources, read-only.</summary>
public interface IKokuSourceInventory
{
    /// <exception cref="RegistrationException">koku's database could not be read (reason <see cref="RegistrationFailureReasons.KokuDatabaseUnavailable"/>).</exception>
    Task<KokuSourceInventory> ReadAsync(string orgId, CancellationToken cancellationToken);
}

/// <summary>Creates an OCP source through koku's sources API (koku-ingestion.md §4.4); never writes koku's tables.</summary>
public interface IKokuSourceRegistrar
{
    /// <summary>Never throws for koku's answers or transport errors: they come back as a result.</summary>
    Task<SourceRegistrationResult> RegisterAsync(string name, string clusterId, CancellationToken cancellationToken);
}

/// <summary>How koku answered a source creation.</summary>
public enum SourceRegistrationStatus
{
    /// <summary>201: the source, provider and (when new) the tenant exist now.</summary>
    Created,

    /// <summary>400 naming a duplicate: koku has the cluster in the org already. Not a failure.</summary>
    AlreadyExists,

    /// <summary>Anything else; <see cref="SourceRegistrationResult.Reason"/> says which kind.</summary>
    Failed,
}

/// <summary>The outcome of one POST.</summary>
/// <param name="Reason">For <see cref="SourceRegistrationStatus.Failed"/>: one of <see cref="RegistrationFailureReasons"/>.</param>
/// <param name="Detail">What koku said (status and message), one line, for logs and the command's output.</param>
/// <param name="SourceId">The new source's id, when koku returned it.</param>
public sealed record SourceRegistrationResult(SourceRegistrationStatus Status, string? Reason, string Detail, string? SourceId = null);

/// <summary>A failure that stops registration for this run (listing the ManagedClusters, reading koku's sources).</summary>
#pragma warning disable CA1032 // The reason is required; the parameterless constructors would drop it.
public sealed class RegistrationException(string reason, string message, Exception? innerException = null)
    : Exception(message, innerException)
#pragma warning restore CA1032
{
    /// <summary>One of <see cref="RegistrationFailureReasons"/>.</summary>
    public string Reason { get; } = reason;
}

/// <summary>Why a ManagedCluster is not registered. Values are metric label values.</summary>
public static class RegistrationSkipReasons
{
    /// <summary>The hub itself (name local-cluster or label local-cluster=true), unless THANOS_BRIDGE_AUTO_REGISTER_LOCAL_CLUSTER is true.</summary>
    public const string LocalCluster = "local_cluster";

    /// <summary>No id.k8s.io claim in status.clusterClaims (yet): the cluster id is unknown.</summary>
    public const string NoClusterId = "no_cluster_id";

    /// <summary>The claim is not a cluster id the bridge can query for (<see cref="ClusterId"/>'s rule).</summary>
    public const string InvalidClusterId = "invalid_cluster_id";

    /// <summary>ManagedClusterJoined is not True.</summary>
    public const string NotJoined = "not_joined";

    /// <summary>ManagedClusterConditionAvailable is not True.</summary>
    public const string NotAvailable = "not_available";

    /// <summary>Another ManagedCluster (first by name) claims the same cluster id and is the one registered.</summary>
    public const string DuplicateClusterId = "duplicate_cluster_id";

    public static IReadOnlyList<string> All { get; } =
        [LocalCluster, NoClusterId, InvalidClusterId, NotJoined, NotAvailable, DuplicateClusterId];
}

/// <summary>Why a registration failed. Values are metric label values; each has a row in the runbook.</summary>
public static class RegistrationFailureReasons
{
    /// <summary>The Kubernetes API refused to list ManagedClusters (401/403): the ClusterRole is missing or not bound.</summary>
    public const string KubernetesForbidden = "kubernetes_forbidden";

    /// <summary>The Kubernetes API could not be reached or answered with another error.</summary>
    public const string KubernetesUnavailable = "kubernetes_unavailable";

    /// <summary>koku's database could not be read to see which clusters have a source.</summary>
    public const string KokuDatabaseUnavailable = "koku_database_unavailable";

    /// <summary>The configured org is not a koku customer: registering would create a new, empty tenant.</summary>
    public const string KokuOrgUnknown = "koku_org_unknown";

    /// <summary>koku answered 401 or 403: the identity lacks the sources permission or the cost management entitlement.</summary>
    public const string KokuForbidden = "koku_forbidden";

    /// <summary>koku answered another 4xx (a 400 that is not a duplicate, 404 for a wrong URL, …).</summary>
    public const string KokuRejected = "koku_rejected";

    /// <summary>koku answered 5xx, timed out or could not be reached.</summary>
    public const string KokuUnavailable = "koku_unavailable";

    public static IReadOnlyList<string> All { get; } =
        [KubernetesForbidden, KubernetesUnavailable, KokuDatabaseUnavailable, KokuOrgUnknown, KokuForbidden, KokuRejected, KokuUnavailable];
}

/// <summary>The rules' settings.</summary>
/// <param name="OrgId">THANOS_BRIDGE_KOKU_ORG_ID: the org the bridge registers clusters in.</param>
/// <param name="Username">THANOS_BRIDGE_KOKU_USERNAME: the identity's user name; a source created by it counts as the bridge's.</param>
/// <param name="IncludeLocalCluster">THANOS_BRIDGE_AUTO_REGISTER_LOCAL_CLUSTER: register the hub itself too.</param>
/// <param name="DryRun">THANOS_BRIDGE_AUTO_REGISTER_DRY_RUN: scheduled runs report what they would register, and register nothing.</param>
public sealed record RegistrationOptions(string OrgId, string Username, bool IncludeLocalCluster = false, bool DryRun = false);
