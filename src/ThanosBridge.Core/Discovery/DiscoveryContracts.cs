namespace ThanosBridge.Core.Discovery;

/// <summary>A cluster that koku knows and that the bridge delivers for (koku-ingestion.md §4.3).</summary>
/// <param name="ClusterId">Validated; the Kafka message key and the manifest's cluster_id.</param>
/// <param name="OrgId"><c>api_sources.org_id</c> verbatim: koku's listener matches the source on it.</param>
public sealed record DiscoveredCluster(
    ClusterId ClusterId,
    string OrgId,
    string? Account = null,
    Guid? ProviderUuid = null,
    int? SourceId = null,
    string? Schema = null,
    string? Alias = null);

/// <summary>Why a registered cluster is not delivered for. Values are metric label values.</summary>
public static class SkipReasons
{
    /// <summary>The source's credentials are not exactly {"cluster_id": …}: koku's listener would drop the payload.</summary>
    public const string ListenerMismatch = "listener_mismatch";

    /// <summary>The cluster id is not a safe label value (<see cref="ClusterId"/>).</summary>
    public const string InvalidClusterId = "invalid_cluster_id";

    /// <summary>The source has no org_id, so the announcement could not be matched to it.</summary>
    public const string MissingOrgId = "missing_org_id";

    /// <summary>The source or its provider is paused in koku: the user stopped it (koku itself would still ingest).</summary>
    public const string Paused = "paused";

    /// <summary>koku recently recorded a payload for the cluster from an operator (CMMO): two producers would make its days flap.</summary>
    public const string CmmoActive = "cmmo_active";

    /// <summary>The source is being deleted in koku.</summary>
    public const string PendingDelete = "pending_delete";

    /// <summary>The provider is not active in koku.</summary>
    public const string Inactive = "inactive";

    /// <summary>Reasons that mean something is wrong (alerted on), as opposed to a source stopped on purpose.</summary>
    public static IReadOnlyList<string> Problems { get; } = [ListenerMismatch, InvalidClusterId, MissingOrgId, CmmoActive];
}

/// <summary>A registered cluster that is not delivered for, with the reason (see <see cref="SkipReasons"/>).</summary>
public sealed record SkippedCluster(string ClusterId, string Reason, string Detail);

/// <summary>What discovery saw in one run.</summary>
public sealed record DiscoveryResult(IReadOnlyList<DiscoveredCluster> Clusters, IReadOnlyList<SkippedCluster> Skipped);

/// <summary>Where the clusters come from: koku's database, or THANOS_BRIDGE_CLUSTERS when no database is configured.</summary>
public interface IClusterSource
{
    Task<DiscoveryResult> DiscoverAsync(CancellationToken cancellationToken);
}
