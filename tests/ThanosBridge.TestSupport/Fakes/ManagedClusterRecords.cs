using ThanosBridge.Core.Discovery;

namespace ThanosBridge.TestSupport.Fakes;

/// <summary>ManagedClusters as <see cref="IManagedClusterLister"/> hands them to the registration rules.</summary>
public static class ManagedClusterRecords
{
    public static Dictionary<string, string> Labels() => new(StringComparer.Ordinal) { ["vendor"] = "OpenShift" };

    /// <summary>A ManagedCluster as the lister returns it, HubAccepted and, by default, joined and available.</summary>
    public static ManagedCluster Cluster(string name, string? claim, string? joined = "True", string? available = "True",
        Dictionary<string, string>? labels = null)
    {
        var conditions = new List<ManagedClusterCondition> { new("HubAcceptedManagedCluster", "True", "HubClusterAdminAccepted", "Accepted by hub cluster admin") };
        if (joined is not null)
        {
            conditions.Add(new ManagedClusterCondition("ManagedClusterJoined", joined, "ManagedClusterJoined", "Managed cluster joined"));
        }

        if (available is not null)
        {
            conditions.Add(new ManagedClusterCondition("ManagedClusterConditionAvailable", available, "ManagedClusterAvailable", "Managed cluster is available"));
        }

        return new ManagedCluster(name, labels ?? Labels(), claim, conditions);
    }
}
