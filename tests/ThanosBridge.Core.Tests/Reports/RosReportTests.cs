using ThanosBridge.Core.Reports;

namespace ThanosBridge.Core.Tests.Reports;

/// <summary>
/// The two ROS CSVs (cmmo-output.md §1.3, §2.7–2.9, §3.3, Bridge decision h): four 15-minute windows per hour, each
/// gated by ros-namespace-filter; container rows keyed by (container, pod, namespace) with the node join; accelerator rows.
/// </summary>
public class RosReportTests
{
    private static readonly DateTimeOffset Hour = new(2026, 8, 5, 10, 0, 0, TimeSpan.Zero);

    private static readonly (string, string)[] Gate = [("label_cost_management_optimizations", "true"), ("namespace", "ns1")];

    private static ReportFixture WithNodes() => new ReportFixture(Hour)
        .Cost("node-capacity-cpu-cores", 4, ("node", "node-a"), ("provider_id", "aws:///us-east-1a/i-0aaa"))
        .Cost("node-capacity-cpu-cores", 4, ("node", "node-b"), ("provider_id", "aws:///us-east-1b/i-0bbb"));

    private static (string, string)[] Container(string container, string pod, string node = "node-a", string ns = "ns1") =>
        [("container", container), ("namespace", ns), ("node", node), ("pod", pod)];

    [Fact]
    public void Build_GatePassesEveryWindow_FourRowSetsWithQuarterHourIntervals()
    {
        var f = WithNodes()
            .Ros("ros-namespace-filter", 1, Gate)
            .Ros("cpu-usage-container-avg", 0.5, Container("c1", "p1"))
            .Ros("pods-running-namespace-max", 3, ("namespace", "ns1"));

        var reports = f.Build();

        foreach (var kind in new[] { ReportKind.RosContainer, ReportKind.RosNamespace })
        {
            reports[kind].Rows.Select(r => $"{r[2]} - {r[3]}").ShouldBe(
            [
                "2026-08-05 10:00:01 +0000 UTC - 2026-08-05 10:15:00 +0000 UTC",
                "2026-08-05 10:15:01 +0000 UTC - 2026-08-05 10:30:00 +0000 UTC",
                "2026-08-05 10:30:01 +0000 UTC - 2026-08-05 10:45:00 +0000 UTC",
                "2026-08-05 10:45:01 +0000 UTC - 2026-08-05 11:00:00 +0000 UTC",
            ]);
            reports[kind].Rows.ShouldAllBe(r => r[0] == "2026-08-01 00:00:00 +0000 UTC" && r[1] == "2026-09-01 00:00:00 +0000 UTC");
        }
    }

    [Fact]
    public void Build_GateEmptyInSecondWindow_ThatWindowSkippedOthersKept()
    {
        var f = WithNodes()
            .RosWindows("ros-namespace-filter", [(1, 1), (3, 1), (4, 1)], Gate)
            .RosWindows("cpu-usage-container-max", [(1, 1.5), (2, 2.5), (3, 3.5), (4, 4.5)], Container("c1", "p1"))
            .RosWindows("memory-usage-namespace-max", [(1, 10), (2, 20), (3, 30), (4, 40)], ("namespace", "ns1"));

        var reports = f.Build();

        var container = reports[ReportKind.RosContainer];
        container.Column("interval_end").ShouldBe(
            ["2026-08-05 10:15:00 +0000 UTC", "2026-08-05 10:45:00 +0000 UTC", "2026-08-05 11:00:00 +0000 UTC"]);
        container.Column("cpu_usage_container_max").ShouldBe(["1.500000", "3.500000", "4.500000"]);
        var ns = reports[ReportKind.RosNamespace];
        ns.Column("interval_start").ShouldBe(
            ["2026-08-05 10:00:01 +0000 UTC", "2026-08-05 10:30:01 +0000 UTC", "2026-08-05 10:45:01 +0000 UTC"]);
        ns.Column("memory_usage_namespace_max").ShouldBe(["10.000000", "30.000000", "40.000000"]);
    }

    [Fact]
    public void Build_MetricMissingInOneWindow_EmptyCellOnlyInThatWindow()
    {
        var f = WithNodes()
            .Ros("ros-namespace-filter", 1, Gate)
            .Ros("cpu-request-container-sum", 2, Container("c1", "p1"))
            .RosWindows("memory-limit-container-avg", [(1, 100), (2, 200), (4, 400)], Container("c1", "p1"));

        var container = f.Build()[ReportKind.RosContainer];

        container.Column("memory_limit_container_avg").ShouldBe(["100.000000", "200.000000", "", "400.000000"]);
        container.Column("cpu_request_container_sum").ShouldBe(["2.000000", "2.000000", "2.000000", "2.000000"]);
    }

    [Fact]
    public void Build_RosDisabled_OnlySixCostTables()
    {
        var f = WithNodes()
            .Ros("ros-namespace-filter", 1, Gate)
            .Ros("cpu-usage-container-avg", 1, Container("c1", "p1"))
            .Ros("cpu-usage-namespace-avg", 1, ("namespace", "ns1"));

        var reports = f.Build(ros: false);

        reports.Tables.Count.ShouldBe(6);
        reports.Has(ReportKind.RosContainer).ShouldBeFalse();
        reports.Has(ReportKind.RosNamespace).ShouldBeFalse();
        reports.HoursWithData.ShouldBe([Hour]);
    }

    [Fact]
    public void Build_GateEmptyInEveryWindow_NoRosTables()
    {
        var f = WithNodes()
            .Ros("cpu-usage-container-avg", 1, Container("c1", "p1"))
            .Ros("cpu-usage-namespace-avg", 1, ("namespace", "ns1"));

        var reports = f.Build();

        reports.Tables.Count.ShouldBe(6);
        reports.Has(ReportKind.RosContainer).ShouldBeFalse();
        reports.Has(ReportKind.RosNamespace).ShouldBeFalse();
    }

    [Fact]
    public void Build_GatePassesButNoRosData_NoRosTables()
    {
        var reports = WithNodes().Ros("ros-namespace-filter", 1, Gate).Build();

        reports.Has(ReportKind.RosContainer).ShouldBeFalse();
        reports.Has(ReportKind.RosNamespace).ShouldBeFalse();
    }

    [Fact]
    public void Build_OnlyNamespaceRosData_NamespaceTableWithoutContainerTable()
    {
        var reports = WithNodes().Ros("ros-namespace-filter", 1, Gate).Ros("pods-total-namespace-avg", 5, ("namespace", "ns1")).Build();

        reports.Has(ReportKind.RosContainer).ShouldBeFalse();
        reports.Has(ReportKind.RosNamespace).ShouldBeTrue();
        reports[ReportKind.RosNamespace].Column("namespace_total_pods_avg").ShouldBe(["5.000000", "5.000000", "5.000000", "5.000000"]);
    }

    [Fact]
    public void Build_ContainersOfPodsAndNamespaces_OneRowPerContainerPodNamespace()
    {
        var f = WithNodes()
            .RosWindows("ros-namespace-filter", [(1, 1)], Gate)
            .RosWindows("cpu-usage-container-avg", [(1, 1)], Container("app", "p1"))
            .RosWindows("cpu-usage-container-avg", [(1, 2)], Container("sidecar", "p1"))
            .RosWindows("cpu-usage-container-avg", [(1, 3)], Container("app", "p2"))
            .RosWindows("cpu-usage-container-avg", [(1, 4)], Container("app", "p1", ns: "ns2"))
            .RosWindows("memory-usage-container-avg", [(1, 5)], Container("app", "p1"));

        var container = f.Build()[ReportKind.RosContainer];

        // Keys: "app,ns1,p1", "app,ns1,p2", "app,ns2,p1", "ns1,p1,sidecar".
        container.Rows.Select(r => $"{r[4]}/{r[5]}/{r[10]}").ShouldBe(["app/p1/ns1", "app/p2/ns1", "app/p1/ns2", "sidecar/p1/ns1"]);
        var app = container.Records()[0];
        app["cpu_usage_container_avg"].ShouldBe("1.000000");
        app["memory_usage_container_avg"].ShouldBe("5.000000");
        container.Records()[3]["cpu_usage_container_avg"].ShouldBe("2.000000");
    }

    [Fact]
    public void Build_ContainerOnKnownNode_NodeAndResourceIdFromNodeRow()
    {
        var f = WithNodes()
            .RosWindows("ros-namespace-filter", [(1, 1)], Gate)
            .RosWindows("cpu-usage-container-avg", [(1, 1)], Container("c1", "p1", node: "node-b"))
            .RosWindows("cpu-usage-container-avg", [(1, 1)], Container("c2", "p1", node: "node-gone"));

        var container = f.Build()[ReportKind.RosContainer];

        var known = container.Single("container_name", "c1");
        known["node"].ShouldBe("node-b");
        known["resource_id"].ShouldBe("i-0bbb");
        var unknown = container.Single("container_name", "c2");
        unknown["node"].ShouldBe("");
        unknown["resource_id"].ShouldBe("");
    }

    [Fact]
    public void Build_OwnerAndWorkloadQueries_IdentityColumnsVerbatim()
    {
        var f = WithNodes()
            .RosWindows("ros-namespace-filter", [(1, 1)], Gate)
            .RosWindows("container-image-owner", [(1, 1)], ("container", "c1"), ("image", "registry/app@sha256:ab"), ("namespace", "ns1"),
                ("owner_kind", "<none>"), ("owner_name", "<none>"), ("pod", "p1"))
            .RosWindows("container-image-workload", [(1, 1)], ("container", "c1"), ("image", "registry/app@sha256:ab"), ("namespace", "ns1"),
                ("pod", "p1"), ("workload", "p1"), ("workload_type", "pod"));

        var row = f.Build()[ReportKind.RosContainer].Single("container_name", "c1");

        // No metric query named the node, so node and resource_id stay empty.
        row.ShouldHaveOnly(("container_name", "c1"), ("pod", "p1"), ("owner_name", "<none>"), ("owner_kind", "<none>"),
            ("workload", "p1"), ("workload_type", "pod"), ("namespace", "ns1"), ("image_name", "registry/app@sha256:ab"));
    }

    [Fact]
    public void Build_AcceleratorOnlyContainer_EmptyContainerNameAndOwnerColumns()
    {
        var f = WithNodes()
            .RosWindows("ros-namespace-filter", [(1, 1)], Gate)
            .RosWindows("container-image-owner", [(1, 1)], ("container", "other"), ("image", "img"), ("namespace", "ns1"),
                ("owner_kind", "ReplicaSet"), ("owner_name", "rs"), ("pod", "other-pod"))
            .RosWindows("accelerator-core-usage-percentage-max", [(1, 87.5)], ("Hostname", "node-a"), ("exported_container", "trainer"),
                ("exported_namespace", "ml"), ("exported_pod", "gpu-pod-123"), ("modelName", "NVIDIA A100"))
            .RosWindows("accelerator-frame-buffer-usage-avg", [(1, 2048)], ("GPU_I_PROFILE", "1g.5gb"), ("Hostname", "node-a"),
                ("exported_container", "trainer"), ("exported_namespace", "ml"), ("exported_pod", "gpu-pod-123"), ("modelName", "NVIDIA A100"));

        var row = f.Build()[ReportKind.RosContainer].Single("pod", "gpu-pod-123");

        row.ShouldHaveOnly(("pod", "gpu-pod-123"), ("namespace", "ml"), ("node", "node-a"), ("resource_id", "i-0aaa"),
            ("accelerator_model_name", "NVIDIA A100"), ("accelerator_profile_name", "1g.5gb"),
            ("accelerator_core_usage_percentage_max", "87.500000"), ("accelerator_frame_buffer_usage_avg", "2048.000000"));
    }

    [Fact]
    public void Build_AcceleratorHostnameNotANodeRow_NodeAndResourceIdEmpty()
    {
        var f = WithNodes()
            .RosWindows("ros-namespace-filter", [(1, 1)], Gate)
            .RosWindows("accelerator-memory-copy-percentage-min", [(1, 12)], ("Hostname", "gpu-node-1"), ("exported_container", "trainer"),
                ("exported_namespace", "ml"), ("exported_pod", "training-pod-456"), ("modelName", "Tesla T4"));

        var row = f.Build()[ReportKind.RosContainer].Single("pod", "training-pod-456");

        row.ShouldHaveOnly(("pod", "training-pod-456"), ("namespace", "ml"), ("accelerator_model_name", "Tesla T4"),
            ("accelerator_memory_copy_percentage_min", "12.000000"));
    }

    [Fact]
    public void Build_AcceleratorForCpuContainer_SameRowAndHostnameOverwritesNode()
    {
        var f = WithNodes()
            .RosWindows("ros-namespace-filter", [(1, 1)], Gate)
            .RosWindows("cpu-usage-container-avg", [(1, 0.75)], Container("c1", "p1", node: "node-a"))
            .RosWindows("accelerator-core-usage-percentage-avg", [(1, 40)], ("Hostname", "node-b"), ("exported_container", "c1"),
                ("exported_namespace", "ns1"), ("exported_pod", "p1"), ("modelName", "NVIDIA L4"));

        var container = f.Build()[ReportKind.RosContainer];

        var row = container.Records().ShouldHaveSingleItem();
        row["container_name"].ShouldBe("c1");
        row["cpu_usage_container_avg"].ShouldBe("0.750000");
        row["accelerator_core_usage_percentage_avg"].ShouldBe("40.000000");
        row["node"].ShouldBe("node-b");
        row["resource_id"].ShouldBe("i-0bbb");
    }

    [Fact]
    public void Build_NamespaceMetrics_PodCountColumnsMappedFromPodsQueries()
    {
        var f = WithNodes()
            .RosWindows("ros-namespace-filter", [(4, 1)], Gate)
            .RosWindows("pods-running-namespace-max", [(4, 7)], ("namespace", "ns1"))
            .RosWindows("pods-running-namespace-avg", [(4, 6.5)], ("namespace", "ns1"))
            .RosWindows("pods-total-namespace-max", [(4, 9)], ("namespace", "ns1"))
            .RosWindows("pods-total-namespace-avg", [(4, 8.25)], ("namespace", "ns1"))
            .RosWindows("cpu-throttle-namespace-min", [(4, 0.125)], ("namespace", "ns1"));

        var row = f.Build()[ReportKind.RosNamespace].Records().ShouldHaveSingleItem();

        row["interval_end"].ShouldBe("2026-08-05 11:00:00 +0000 UTC");
        row.ShouldHaveOnly(("namespace", "ns1"), ("namespace_running_pods_max", "7.000000"), ("namespace_running_pods_avg", "6.500000"),
            ("namespace_total_pods_max", "9.000000"), ("namespace_total_pods_avg", "8.250000"), ("cpu_throttle_namespace_min", "0.125000"));
    }

    [Fact]
    public void Build_SeveralNamespaces_SortedWithinEachWindow()
    {
        var f = WithNodes()
            .RosWindows("ros-namespace-filter", [(1, 1), (2, 1)], Gate)
            .RosWindows("memory-rss-usage-namespace-avg", [(1, 1), (2, 2)], ("namespace", "zeta"))
            .RosWindows("memory-rss-usage-namespace-avg", [(1, 3), (2, 4)], ("namespace", "alpha"));

        var ns = f.Build()[ReportKind.RosNamespace];

        ns.Rows.Select(r => $"{r[3]} {r[4]} {r[18]}").ShouldBe(
        [
            "2026-08-05 10:15:00 +0000 UTC alpha 3.000000",
            "2026-08-05 10:15:00 +0000 UTC zeta 1.000000",
            "2026-08-05 10:30:00 +0000 UTC alpha 4.000000",
            "2026-08-05 10:30:00 +0000 UTC zeta 2.000000",
        ]);
        ns.Header[18].ShouldBe("memory_rss_usage_namespace_avg");
    }

    [Fact]
    public void Build_GateNamespaceDiffersFromDataNamespace_WindowStillWritten()
    {
        // The gate only decides whether the window runs; the queries themselves filter namespaces (§1.3).
        var f = WithNodes()
            .RosWindows("ros-namespace-filter", [(1, 1)], ("namespace", "opted-in"))
            .RosWindows("cpu-limit-namespace-sum", [(1, 4)], ("namespace", "other"));

        f.Build()[ReportKind.RosNamespace].Single("namespace", "other")["cpu_limit_namespace_sum"].ShouldBe("4.000000");
    }

    [Fact]
    public void Build_TwoHoursWithRos_WindowsOfBothHoursAscending()
    {
        var f = WithNodes()
            .Ros("ros-namespace-filter", 1, Gate)
            .Ros("cpu-usage-namespace-avg", 1, ("namespace", "ns1"))
            .At(Hour.AddHours(1))
            .Cost("node-labels", 1, ("node", "node-a"))
            .Ros("ros-namespace-filter", 1, Gate)
            .Ros("cpu-usage-namespace-avg", 2, ("namespace", "ns1"));

        var ns = f.Build()[ReportKind.RosNamespace];

        ns.Column("interval_end").ShouldBe(
        [
            "2026-08-05 10:15:00 +0000 UTC", "2026-08-05 10:30:00 +0000 UTC", "2026-08-05 10:45:00 +0000 UTC",
            "2026-08-05 11:00:00 +0000 UTC", "2026-08-05 11:15:00 +0000 UTC", "2026-08-05 11:30:00 +0000 UTC",
            "2026-08-05 11:45:00 +0000 UTC", "2026-08-05 12:00:00 +0000 UTC",
        ]);
        ns.Column("cpu_usage_namespace_avg").ShouldBe(
            ["1.000000", "1.000000", "1.000000", "1.000000", "2.000000", "2.000000", "2.000000", "2.000000"]);
    }
}
