namespace ThanosBridge.Adapters.Kubernetes;

/// <summary>
/// How the bridge reaches the hub's Kubernetes API to list ManagedClusters. Without <see cref="ApiUrl"/> the pod's
/// service account is used (in-cluster configuration: KUBERNETES_SERVICE_HOST and the mounted token and CA).
/// </summary>
public sealed record KubernetesOptions
{
    /// <summary>THANOS_BRIDGE_KUBERNETES_API_URL: an explicit API server URL (tests, development with kubectl proxy); null in a pod.</summary>
    public Uri? ApiUrl { get; init; }

    /// <summary>THANOS_BRIDGE_KUBERNETES_TOKEN: the bearer token sent to <see cref="ApiUrl"/>. A secret: never logged.</summary>
    public string? Token { get; init; }

    /// <summary>THANOS_BRIDGE_AUTO_REGISTER_SELECTOR: the labelSelector of the list call (opt-in or opt-out by label); null lists all.</summary>
    public string? LabelSelector { get; init; }

    /// <summary>Time allowed for one list call.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Items per page of the list (the API server's limit/continue paging).</summary>
    public int PageSize { get; init; } = 500;
}
