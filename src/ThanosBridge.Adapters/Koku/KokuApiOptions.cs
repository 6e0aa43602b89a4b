namespace ThanosBridge.Adapters.Koku;

/// <summary>
/// koku's sources API, as auto-registration calls it (koku-ingestion.md §4.4): the in-cluster koku-api Service, with an
/// X-Rh-Identity header the bridge builds for the configured org. The header carries no secret: koku trusts it from
/// inside the cluster (the gateway builds the same header from a Keycloak token for outside callers).
/// </summary>
public sealed record KokuApiOptions
{
    /// <summary>The path of the sources endpoint below the base URL (API_PATH_PREFIX /api/cost-management of the chart).</summary>
    public const string SourcesPath = "api/cost-management/v1/sources/";

    /// <summary>THANOS_BRIDGE_KOKU_API_URL: koku's API root, e.g. http://cost-onprem-koku-api:8000; a path prefix is kept.</summary>
    public required Uri BaseUrl { get; init; }

    /// <summary>THANOS_BRIDGE_KOKU_ORG_ID: the identity's org_id, so the org the sources are created in.</summary>
    public required string OrgId { get; init; }

    /// <summary>THANOS_BRIDGE_KOKU_ACCOUNT: the identity's account_number (null when unset).</summary>
    public string? Account { get; init; }

    /// <summary>THANOS_BRIDGE_KOKU_USERNAME: the identity's user name (and, with @thanos-bridge.invalid, its e-mail, which koku requires).</summary>
    public string Username { get; init; } = "thanos-bridge";

    /// <summary>Time allowed for one POST (koku creates the tenant schema of a new org synchronously).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>The URL sources are created at.</summary>
    public Uri SourcesUrl => new(new Uri(BaseUrl.AbsoluteUri.EndsWith('/') ? BaseUrl.AbsoluteUri : BaseUrl.AbsoluteUri + "/"), SourcesPath);
}
