using ThanosBridge.Core.Reports;

namespace ThanosBridge.Core.Tests.Reports;

/// <summary>
/// The node row set is the union over the 6 node queries (§2.1); an hour without node data produces nothing at all,
/// in any report, ROS included (§1.6, gotcha 12); rows are sorted by key within an interval, intervals ascend.
/// </summary>
public class NodeReportTests
{
    private static readonly DateTimeOffset H0 = new(2026, 8, 5, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset H1 = H0.AddHours(1);
    private static readonly DateTimeOffset H2 = H0.AddHours(2);

    [Fact]
    public void Build_EachNodeKnownToOneQueryOnly_EveryNodeGetsARow()
    {
        var f = new ReportFixture(H0)
            .Cost("node-allocatable-cpu-cores", 1, ("node", "n-alloc-cpu"))
            .Cost("node-allocatable-memory-bytes", 1, ("node", "n-alloc-mem"))
            .Cost("node-capacity-cpu-cores", 1, ("node", "n-cap-cpu"))
            .Cost("node-capacity-memory-bytes", 1, ("node", "n-cap-mem"))
            .Cost("node-role", 1, ("node", "n-role"), ("role", "worker"))
            .Cost("node-labels", 1, ("label_a", "1"), ("node", "n-labels"));

        var node = f.Build()[ReportKind.Node];

        node.Column("node").ShouldBe(["n-alloc-cpu", "n-alloc-mem", "n-cap-cpu", "n-cap-mem", "n-labels", "n-role"]);
        node.Single("node", "n-labels")["node_labels"].ShouldBe("label_a:1");
        node.Single("node", "n-alloc-cpu")["node_labels"].ShouldBe("");
    }

    [Fact]
    public void Build_NodeOnlyInAllocatable_PodOnThatNodeJoinsIt()
    {
        var f = new ReportFixture(H0)
            .Cost("node-allocatable-cpu-cores", 4, ("node", "n1"), ("provider_id", "aws:///eu-west-1b/i-0n1"))
            .Cost("pod-usage-cpu-cores", 1, ("namespace", "ns"), ("node", "n1"), ("pod", "p"));

        var row = f.Build()[ReportKind.Pod].Single("pod", "p");

        // node and resource_id come from the node row; there is no capacity or role to copy.
        row.ShouldHaveOnly(("node", "n1"), ("namespace", "ns"), ("pod", "p"), ("pod_usage_cpu_core_seconds", "3600.000000"),
            ("resource_id", "i-0n1"));
    }

    [Fact]
    public void Build_HourWithoutNodeData_NoRowsInAnyReportForThatHour()
    {
        var f = new ReportFixture(H0);
        foreach (var hour in new[] { H0, H1, H2 })
        {
            f.At(hour);
            if (hour != H1)
            {
                f.Cost("node-labels", 1, ("node", "n1"));
            }

            f.Cost("pod-usage-cpu-cores", 1, ("namespace", "ns"), ("node", "n1"), ("pod", "p"))
                .Cost("persistentvolumeclaim-capacity-bytes", 1, ("persistentvolume", "pv"))
                .Cost("vm_info", 1, ("name", "vm"), ("namespace", "ns"))
                .Cost("namespace-labels", 1, ("namespace", "ns"))
                .Cost("nvidia-gpu-pod-uptime", 1, ("Hostname", "n1"), ("UUID", "GPU-1"), ("exported_namespace", "ns"), ("exported_pod", "g"))
                .Ros("ros-namespace-filter", 1, ("namespace", "ns"))
                .Ros("cpu-usage-container-avg", 1, ("container", "c"), ("namespace", "ns"), ("node", "n1"), ("pod", "p"))
                .Ros("cpu-usage-namespace-avg", 1, ("namespace", "ns"));
        }

        var reports = f.Build();

        reports.HoursWithData.ShouldBe([H0, H2]);
        reports.Tables.Count.ShouldBe(8);
        foreach (var table in reports.Tables)
        {
            var starts = table.Column("interval_start");
            starts.ShouldNotBeEmpty(table.FileName);
            starts.ShouldAllBe(s => !s.StartsWith("2026-08-05 11:", StringComparison.Ordinal), table.FileName);
            starts.ShouldContain(s => s.StartsWith("2026-08-05 10:", StringComparison.Ordinal), table.FileName);
            starts.ShouldContain(s => s.StartsWith("2026-08-05 12:", StringComparison.Ordinal), table.FileName);
        }

        reports[ReportKind.Pod].Rows.Count.ShouldBe(2);
        reports[ReportKind.RosContainer].Rows.Count.ShouldBe(8);
        reports[ReportKind.RosNamespace].Rows.Count.ShouldBe(8);
    }

    [Fact]
    public void Build_NoNodeDataInAnyHour_HeaderOnlyCostTablesAndNoRos()
    {
        var f = new ReportFixture(H0)
            .Cost("pod-usage-cpu-cores", 1, ("namespace", "ns"), ("node", "n1"), ("pod", "p"))
            .Ros("ros-namespace-filter", 1, ("namespace", "ns"))
            .Ros("cpu-usage-namespace-avg", 1, ("namespace", "ns"));

        var reports = f.Build();

        reports.HoursWithData.ShouldBeEmpty();
        reports.Tables.Count.ShouldBe(6);
        reports.Tables.ShouldAllBe(t => t.Rows.Count == 0);
        reports.Has(ReportKind.RosNamespace).ShouldBeFalse();
    }

    [Fact]
    public void Build_NodeQueryResultsWithoutSamplesInTheHour_HourHasNoData()
    {
        // The node series exists in the matrix, but only in another hour.
        var f = new ReportFixture(H1).Cost("node-labels", 1, ("node", "n1")).At(H0).Cost("pod-labels", 1, ("namespace", "ns"), ("pod", "p"));
        var inputs = f.Inputs() with { Hours = [H0] };

        var reports = ReportBuilder.Build(inputs);

        reports.HoursWithData.ShouldBeEmpty();
        reports[ReportKind.Pod].Rows.ShouldBeEmpty();
    }

    [Fact]
    public void Build_SeveralHoursAndNodes_RowsSortedByKeyWithinAscendingIntervals()
    {
        var f = new ReportFixture(H0);
        foreach (var hour in new[] { H0, H1 })
        {
            f.At(hour).Cost("node-labels", 1, ("node", "worker-b")).Cost("node-labels", 1, ("node", "infra-a")).Cost("node-labels", 1, ("node", "worker-a"));
        }

        var node = f.Build()[ReportKind.Node];

        node.Rows.Select(r => $"{r[2]} {r[4]}").ShouldBe(
        [
            "2026-08-05 10:00:00 +0000 UTC infra-a",
            "2026-08-05 10:00:00 +0000 UTC worker-a",
            "2026-08-05 10:00:00 +0000 UTC worker-b",
            "2026-08-05 11:00:00 +0000 UTC infra-a",
            "2026-08-05 11:00:00 +0000 UTC worker-a",
            "2026-08-05 11:00:00 +0000 UTC worker-b",
        ]);
    }

    [Fact]
    public void Build_NodeAppearsInLaterHourOnly_HoursWithDataListsOnlyThatHour()
    {
        var f = new ReportFixture(H0).At(H1).Cost("node-role", 1, ("node", "n1"), ("role", "master"));

        var reports = f.Build();

        reports.HoursWithData.ShouldBe([H1]);
        reports[ReportKind.Node].Column("interval_end").ShouldBe(["2026-08-05 11:59:59 +0000 UTC"]);
    }
}
