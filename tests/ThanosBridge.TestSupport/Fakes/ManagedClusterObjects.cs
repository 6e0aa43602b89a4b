using System.Text.Json.Nodes;

namespace ThanosBridge.TestSupport.Fakes;

/// <summary>
/// ACM ManagedCluster objects as the hub's API server returns them (cluster.open-cluster-management.io/v1, as
/// <c>kubectl get managedcluster NAME -o json</c> shows a joined OpenShift spoke): metadata with ACM's labels, spec,
/// and status with capacity, the klusterlet's clusterClaims and the registration conditions.
/// </summary>
public static class ManagedClusterObjects
{
    /// <param name="clusterId">The id.k8s.io claim (and the clusterID label); null for a cluster that has not reported its claims yet.</param>
    /// <param name="joined">Status of ManagedClusterJoined; null leaves the condition out (not joined yet).</param>
    /// <param name="available">Status of ManagedClusterConditionAvailable ("True", "False", "Unknown"); null leaves it out.</param>
    public static JsonObject Create(string name, string? clusterId, string? joined = "True", string? available = "True",
        IReadOnlyDictionary<string, string>? labels = null)
    {
        var allLabels = new JsonObject
        {
            ["cloud"] = "Amazon",
            ["cluster.open-cluster-management.io/clusterset"] = "default",
            ["feature.open-cluster-management.io/addon-work-manager"] = "available",
            ["name"] = name,
            ["openshiftVersion"] = "4.16.8",
            ["openshiftVersion-major"] = "4",
            ["openshiftVersion-major-minor"] = "4.16",
            ["vendor"] = "OpenShift",
        };
        if (clusterId is not null)
        {
            allLabels["clusterID"] = clusterId;
        }

        foreach (var (key, value) in labels ?? new Dictionary<string, string>())
        {
            allLabels[key] = value;
        }

        var claims = new JsonArray();
        if (clusterId is not null)
        {
            claims.Add(Claim("id.k8s.io", clusterId));
            claims.Add(Claim("id.openshift.io", clusterId));
        }

        claims.Add(Claim("kubeversion.open-cluster-management.io", "v1.29.7+4510e9c"));
        claims.Add(Claim("platform.open-cluster-management.io", "AWS"));
        claims.Add(Claim("product.open-cluster-management.io", "OpenShift"));
        claims.Add(Claim("version.openshift.io", "4.16.8"));

        var conditions = new JsonArray
        {
            Condition("HubAcceptedManagedCluster", "True", "HubClusterAdminAccepted", "Accepted by hub cluster admin"),
        };
        if (joined is not null)
        {
            conditions.Add(Condition("ManagedClusterJoined", joined, "ManagedClusterJoined", "Managed cluster joined"));
        }

        if (available is not null)
        {
            conditions.Add(available == "True"
                ? Condition("ManagedClusterConditionAvailable", "True", "ManagedClusterAvailable", "Managed cluster is available")
                : Condition("ManagedClusterConditionAvailable", available, "ManagedClusterLeaseUpdateStopped",
                    "Registration agent stopped updating its lease."));
        }

        return new JsonObject
        {
            ["apiVersion"] = "cluster.open-cluster-management.io/v1",
            ["kind"] = "ManagedCluster",
            ["metadata"] = new JsonObject
            {
                ["annotations"] = new JsonObject { ["open-cluster-management/created-via"] = "other" },
                ["creationTimestamp"] = "2026-11-02T08:14:37Z",
                ["finalizers"] = new JsonArray("managedcluster-import-controller.open-cluster-management.io/cleanup",
                    "cluster.open-cluster-management.io/api-resource-cleanup"),
                ["generation"] = 3,
                ["labels"] = allLabels,
                ["name"] = name,
                ["resourceVersion"] = "48213377",
                ["uid"] = Guid.NewGuid().ToString(),
            },
            ["spec"] = new JsonObject
            {
                ["hubAcceptsClient"] = true,
                ["leaseDurationSeconds"] = 60,
                ["managedClusterClientConfigs"] = new JsonArray(new JsonObject
                {
                    ["caBundle"] = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM=",
                    ["url"] = $"https://api.{name}.example.com:6443",
                }),
            },
            ["status"] = new JsonObject
            {
                ["allocatable"] = new JsonObject { ["cpu"] = "42", ["memory"] = "160432Mi" },
                ["capacity"] = new JsonObject { ["core_worker"] = "24", ["cpu"] = "48", ["memory"] = "191256Mi", ["socket_worker"] = "0" },
                ["clusterClaims"] = claims,
                ["conditions"] = conditions,
                ["version"] = new JsonObject { ["kubernetes"] = "v1.29.7+4510e9c" },
            },
        };
    }

    /// <summary>The hub's own ManagedCluster: named local-cluster, labelled local-cluster=true.</summary>
    public static JsonObject LocalCluster(string clusterId) =>
        Create("local-cluster", clusterId, labels: new Dictionary<string, string> { ["local-cluster"] = "true" });

    private static JsonObject Claim(string name, string value) => new() { ["name"] = name, ["value"] = value };

    private static JsonObject Condition(string type, string status, string reason, string message) => new()
    {
        ["lastTransitionTime"] = "2026-11-02T08:16:02Z",
        ["message"] = message,
        ["reason"] = reason,
        ["status"] = status,
        ["type"] = type,
    };
}
