using ThanosBridge.Core.Reports;

namespace ThanosBridge.Core.Tests.Reports;

/// <summary>
/// The pod CSV (cmmo-output.md §2.2, §3.3): rows keyed by sorted(pod, namespace), the node join that copies node,
/// capacity, role and resource_id from the node row, last-writer-wins, and resource_id (§3.7).
/// </summary>
public class PodReportTests
{
    private static readonly DateTimeOffset Hour = new(2026, 8, 5, 10, 0, 0, TimeSpan.Zero);

    private static ReportFixture NodeA(string providerId = "aws:///us-east-1a/i-0abc") =>
        new ReportFixture(Hour)
            .Cost("node-capacity-cpu-cores", 8, ("node", "node-a"), ("provider_id", providerId))
            .Cost("node-capacity-memory-bytes", 1024, ("node", "node-a"), ("provider_id", providerId))
            .Cost("node-role", 1, ("node", "node-a"), ("role", "worker"));

    [Fact]
    public void Build_PodOnKnownNode_SevenNodeColumnsCopiedFromTheNodeRow()
    {
        var f = NodeA().Cost("pod-request-cpu-cores", 0.5, ("namespace", "ns1"), ("node", "node-a"), ("pod", "p1"));

        var row = f.Build()[ReportKind.Pod].Single("pod", "p1");

        // 8 × 60 × 60 = 28800; 1024 × 60 × 60 = 3686400; Σ 60 × 0.5 = 30 → × 60 = 1800.
        row.ShouldHaveOnly(
            ("node", "node-a"), ("namespace", "ns1"), ("pod", "p1"),
            ("pod_request_cpu_core_seconds", "1800.000000"),
            ("node_capacity_cpu_cores", "8.000000"), ("node_capacity_cpu_core_seconds", "28800.000000"),
            ("node_capacity_memory_bytes", "1024.000000"), ("node_capacity_memory_byte_seconds", "3686400.000000"),
            ("node_role", "worker"), ("resource_id", "i-0abc"));
    }

    [Fact]
    public void Build_PodWhoseNodeHasNoNodeRow_NodeColumnsAreEmptyEvenWithANodeLabel()
    {
        var f = NodeA().Cost("pod-usage-memory-bytes", 2, ("namespace", "openshift-apiserver"), ("node", "node-gone"), ("pod", "apiserver-1"));

        var row = f.Build()[ReportKind.Pod].Single("pod", "apiserver-1");

        row.ShouldHaveOnly(("namespace", "openshift-apiserver"), ("pod", "apiserver-1"), ("pod_usage_memory_byte_seconds", "7200.000000"));
    }

    [Fact]
    public void Build_PodOnlyInPodLabels_OnlyNamespacePodAndLabels()
    {
        // pod-labels sets no node field, so even a node label naming a real node row is not joined.
        var f = NodeA().Cost("pod-labels", 1, ("label_app", "web"), ("namespace", "ns1"), ("node", "node-a"), ("pod", "p-labels"));

        var row = f.Build()[ReportKind.Pod].Single("pod", "p-labels");

        row.ShouldHaveOnly(("namespace", "ns1"), ("pod", "p-labels"), ("pod_labels", "label_app:web"));
    }

    [Fact]
    public void Build_PodLabelsAndValues_LabelsJoinTheValueRow()
    {
        var f = NodeA()
            .Cost("pod-usage-cpu-cores", 0.25, ("namespace", "ns1"), ("node", "node-a"), ("pod", "p1"))
            .Cost("pod-labels", 1, ("label_app", "web"), ("label_tier", "front"), ("namespace", "ns1"), ("pod", "p1"));

        var pod = f.Build()[ReportKind.Pod];

        pod.Rows.Count.ShouldBe(1);
        var row = pod.Single("pod", "p1");
        row["node"].ShouldBe("node-a");
        row["pod_usage_cpu_core_seconds"].ShouldBe("900.000000");
        row["pod_labels"].ShouldBe("label_app:web|label_tier:front");
    }

    [Fact]
    public void Build_SamePodNameInTwoNamespaces_TwoRows()
    {
        var f = NodeA()
            .Cost("pod-labels", 1, ("label_app", "hive"), ("namespace", "hive"), ("pod", "hive-server-0"))
            .Cost("pod-labels", 1, ("label_app", "metastore"), ("namespace", "metastore"), ("pod", "hive-server-0"))
            .Cost("pod-usage-cpu-cores", 1, ("namespace", "hive"), ("node", "node-a"), ("pod", "hive-server-0"))
            .Cost("pod-usage-cpu-cores", 2, ("namespace", "metastore"), ("node", "node-a"), ("pod", "hive-server-0"));

        var pod = f.Build()[ReportKind.Pod];

        pod.Rows.Count.ShouldBe(2);
        var hive = pod.Single("namespace", "hive");
        hive["pod"].ShouldBe("hive-server-0");
        hive["pod_labels"].ShouldBe("label_app:hive");
        hive["pod_usage_cpu_core_seconds"].ShouldBe("3600.000000");
        var metastore = pod.Single("namespace", "metastore");
        metastore["pod_labels"].ShouldBe("label_app:metastore");
        metastore["pod_usage_cpu_core_seconds"].ShouldBe("7200.000000");
    }

    [Fact]
    public void Build_PodListedUnderTwoNodes_LastSeriesWinsForValueAndNode()
    {
        // Response order (sorted label sets): node-a before node-b; the node-b series is written last.
        var f = NodeA()
            .Cost("node-capacity-cpu-cores", 16, ("node", "node-b"), ("provider_id", "aws:///us-east-1b/i-0bbb"))
            .Cost("pod-usage-cpu-cores", 1, ("namespace", "ns1"), ("node", "node-a"), ("pod", "p1"))
            .Cost("pod-usage-cpu-cores", 3, ("namespace", "ns1"), ("node", "node-b"), ("pod", "p1"));

        var pod = f.Build()[ReportKind.Pod];

        pod.Rows.Count.ShouldBe(1);
        var row = pod.Single("pod", "p1");
        row["node"].ShouldBe("node-b");
        row["pod_usage_cpu_core_seconds"].ShouldBe("10800.000000");
        row["node_capacity_cpu_cores"].ShouldBe("16.000000");
        row["resource_id"].ShouldBe("i-0bbb");
        row["node_role"].ShouldBe("");
    }

    [Fact]
    public void Build_LaterQuerySetsNodeToAnotherNode_LaterQueryWins()
    {
        // pod-usage-memory-bytes comes after pod-limit-cpu-cores in the catalog, so its node label is the one joined.
        var f = NodeA()
            .Cost("node-labels", 1, ("node", "node-b"))
            .Cost("pod-limit-cpu-cores", 1, ("namespace", "ns1"), ("node", "node-a"), ("pod", "p1"))
            .Cost("pod-usage-memory-bytes", 1, ("namespace", "ns1"), ("node", "node-b"), ("pod", "p1"));

        var row = f.Build()[ReportKind.Pod].Single("pod", "p1");

        row["node"].ShouldBe("node-b");
        row["node_capacity_cpu_cores"].ShouldBe("");
        row["pod_limit_cpu_core_seconds"].ShouldBe("3600.000000");
        row["pod_usage_memory_byte_seconds"].ShouldBe("3600.000000");
    }

    [Fact]
    public void Build_PodAInNamespaceBAndPodBInNamespaceA_KeysCollideIntoOneRow()
    {
        // §1.5: the key is the sorted values "a,b" for both; the later series overwrites pod and namespace.
        var f = NodeA()
            .Cost("pod-usage-cpu-cores", 1, ("namespace", "b"), ("node", "node-a"), ("pod", "a"))
            .Cost("pod-usage-cpu-cores", 2, ("namespace", "a"), ("node", "node-a"), ("pod", "b"));

        var pod = f.Build()[ReportKind.Pod];

        pod.Rows.Count.ShouldBe(1);
        var row = pod.Records()[0];
        row["pod"].ShouldBe("b");
        row["namespace"].ShouldBe("a");
        row["pod_usage_cpu_core_seconds"].ShouldBe("7200.000000");
    }

    [Fact]
    public void Build_ProviderIdWithoutSlash_ResourceIdIsTheWholeValue()
    {
        var f = NodeA("i-plain").Cost("pod-usage-cpu-cores", 1, ("namespace", "ns1"), ("node", "node-a"), ("pod", "p1"));

        f.Build()[ReportKind.Pod].Single("pod", "p1")["resource_id"].ShouldBe("i-plain");
    }

    [Theory]
    [InlineData("aws:///us-east-1a/i-0abc", "i-0abc")]
    [InlineData("gce://my-project/europe-west1-b/node-pool-7", "node-pool-7")]
    [InlineData("azure:///subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/aks-1", "aks-1")]
    [InlineData("baremetal", "baremetal")]
    [InlineData("trailing/", "")]
    public void Build_ProviderIdVariants_ResourceIdIsTheLastSlashSegment(string providerId, string resourceId)
    {
        var f = NodeA(providerId).Cost("pod-usage-cpu-cores", 1, ("namespace", "ns1"), ("node", "node-a"), ("pod", "p1"));

        f.Build()[ReportKind.Pod].Single("pod", "p1")["resource_id"].ShouldBe(resourceId);
    }

    [Fact]
    public void Build_NodeWithoutProviderId_ResourceIdEmpty()
    {
        var f = new ReportFixture(Hour)
            .Cost("node-role", 1, ("node", "node-a"), ("role", "worker"))
            .Cost("pod-usage-cpu-cores", 1, ("namespace", "ns1"), ("node", "node-a"), ("pod", "p1"));

        var row = f.Build()[ReportKind.Pod].Single("pod", "p1");

        row["node"].ShouldBe("node-a");
        row["node_role"].ShouldBe("worker");
        row["resource_id"].ShouldBe("");
    }

    [Fact]
    public void Build_NodeWithSeveralRoles_RoleOfTheLastRoleSeries()
    {
        // kube_node_role has one series per role, sorted: infra < master < worker; worker is last.
        var f = new ReportFixture(Hour)
            .Cost("node-role", 1, ("node", "node-a"), ("role", "infra"))
            .Cost("node-role", 1, ("node", "node-a"), ("role", "master"))
            .Cost("node-role", 1, ("node", "node-a"), ("role", "worker"))
            .Cost("pod-usage-cpu-cores", 1, ("namespace", "ns1"), ("node", "node-a"), ("pod", "p1"));

        f.Build()[ReportKind.Pod].Single("pod", "p1")["node_role"].ShouldBe("worker");
    }

    [Fact]
    public void Build_RoleSeriesInResponseOrder_LastInResponseWinsNotTheGreatest()
    {
        var f = new ReportFixture(Hour)
            .Cost("node-role", 1, ("node", "node-a"), ("role", "worker"))
            .Cost("node-role", 1, ("node", "node-a"), ("role", "master"))
            .Cost("pod-usage-cpu-cores", 1, ("namespace", "ns1"), ("node", "node-a"), ("pod", "p1"));

        f.Build()[ReportKind.Pod].Single("pod", "p1")["node_role"].ShouldBe("master");
    }

    [Fact]
    public void Build_SeveralPods_SortedByRowKey()
    {
        var f = NodeA()
            .Cost("pod-usage-cpu-cores", 1, ("namespace", "ns2"), ("node", "node-a"), ("pod", "zeta"))
            .Cost("pod-usage-cpu-cores", 1, ("namespace", "ns1"), ("node", "node-a"), ("pod", "alpha"))
            .Cost("pod-usage-cpu-cores", 1, ("namespace", "ns1"), ("node", "node-a"), ("pod", "beta"));

        // Keys: "alpha,ns1", "beta,ns1", "ns2,zeta".
        f.Build()[ReportKind.Pod].Column("pod").ShouldBe(["alpha", "beta", "zeta"]);
    }
}
