using ThanosBridge.Core.Reports;

namespace ThanosBridge.Core.Tests.Reports;

/// <summary>The VM CSV (cmmo-output.md §2.5, §3.3) and the namespace CSV (§2.4).</summary>
public class VmAndNamespaceReportTests
{
    private static readonly DateTimeOffset Hour = new(2026, 8, 5, 10, 0, 0, TimeSpan.Zero);

    private static ReportFixture WithNode() => new ReportFixture(Hour).Cost("node-labels", 1, ("node", "node-a"));

    [Fact]
    public void Build_VmWithTwoDisks_LastDiskSeriesWins()
    {
        var f = WithNode()
            .Cost("vm_disk_allocated_size", 10, ("device", "datadisk"), ("name", "vm1"), ("namespace", "ns1"),
                ("persistentvolumeclaim", "vm1-data"), ("volume_mode", "Block"))
            .Cost("vm_disk_allocated_size", 20, ("device", "rootdisk"), ("name", "vm1"), ("namespace", "ns1"),
                ("persistentvolumeclaim", "vm1-root"), ("volume_mode", "Filesystem"));

        var vm = f.Build()[ReportKind.VirtualMachine];

        vm.Rows.Count.ShouldBe(1);
        // 20 × 60 × 60 = 72000 (the first disk's 36000 is lost, nothing is summed).
        vm.Single("vm_name", "vm1").ShouldHaveOnly(
            ("namespace", "ns1"), ("vm_name", "vm1"), ("vm_device", "rootdisk"), ("vm_volume_mode", "Filesystem"),
            ("vm_persistentvolumeclaim_name", "vm1-root"), ("vm_disk_allocated_size_byte_seconds", "72000.000000"));
    }

    [Fact]
    public void Build_VmInfo_ResourceIdFromItsOwnProviderIdWithoutNodeJoin()
    {
        // node-vm is not a node row: the VM report copies vm_info's node and provider_id as they are.
        var f = WithNode()
            .Cost("vm_info", 1, ("name", "vm1"), ("namespace", "ns1"), ("node", "node-vm"),
                ("provider_id", "azure:///subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-7"));

        var row = f.Build()[ReportKind.VirtualMachine].Single("vm_name", "vm1");

        row["node"].ShouldBe("node-vm");
        row["resource_id"].ShouldBe("vm-7");
    }

    [Fact]
    public void Build_VmInfoWithoutProviderId_ResourceIdEmpty()
    {
        var f = WithNode().Cost("vm_info", 1, ("name", "vm1"), ("namespace", "ns1"), ("node", "node-a"));

        var row = f.Build()[ReportKind.VirtualMachine].Single("vm_name", "vm1");

        row["node"].ShouldBe("node-a");
        row["resource_id"].ShouldBe("");
    }

    [Fact]
    public void Build_VmInfoPartOfTheHour_UptimeIsSumTimesStep()
    {
        // 45 samples of 1 from 10:15 → 45 × 60 = 2700.
        var f = WithNode().CostFrom("vm_info", 15, [.. Enumerable.Repeat(1.0, 45)], ("name", "vm1"), ("namespace", "ns1"));

        f.Build()[ReportKind.VirtualMachine].Single("vm_name", "vm1")["vm_uptime_total_seconds"].ShouldBe("2700.000000");
    }

    [Fact]
    public void Build_VmInfoSampleValue60_UptimeIsSampleTimes60()
    {
        // The upstream fixture: one sample of 60 → 3600.000000 (§8.4).
        var f = WithNode().CostSamples("vm_info", [60], ("name", "vm1"), ("namespace", "ns1"));

        f.Build()[ReportKind.VirtualMachine].Single("vm_name", "vm1")["vm_uptime_total_seconds"].ShouldBe("3600.000000");
    }

    [Fact]
    public void Build_VmWithoutLabels_TrailingLabelColumnEmpty()
    {
        var f = WithNode().Cost("vm_cpu_limit_cores", 2, ("name", "vm1"), ("namespace", "ns1"));

        var vm = f.Build()[ReportKind.VirtualMachine];

        var row = vm.Rows.ShouldHaveSingleItem();
        row.Count.ShouldBe(vm.Header.Count);
        vm.Header[^1].ShouldBe("vm_labels");
        row[^1].ShouldBe("");
        row[^2].ShouldBe("");
        vm.Single("vm_name", "vm1")["vm_cpu_limit_core_seconds"].ShouldBe("7200.000000");
    }

    [Fact]
    public void Build_VmLabelsWithoutMatchingLabels_LabelColumnEmpty()
    {
        var f = WithNode().Cost("vm_labels", 1, ("name", "vm1"), ("namespace", "ns1"));

        var row = f.Build()[ReportKind.VirtualMachine].Single("vm_name", "vm1");

        row.ShouldHaveOnly(("namespace", "ns1"), ("vm_name", "vm1"));
    }

    [Fact]
    public void Build_SameVmNameInTwoNamespaces_TwoRows()
    {
        var f = WithNode()
            .Cost("vm_cpu_request_cores", 1, ("name", "vm"), ("namespace", "team-a"))
            .Cost("vm_cpu_request_cores", 2, ("name", "vm"), ("namespace", "team-b"));

        var vm = f.Build()[ReportKind.VirtualMachine];

        vm.Single("namespace", "team-a")["vm_cpu_request_cores"].ShouldBe("1.000000");
        vm.Single("namespace", "team-b")["vm_cpu_request_cores"].ShouldBe("2.000000");
    }

    [Fact]
    public void Build_NamespaceLabels_OneRowPerNamespaceSortedWithLabelString()
    {
        var f = WithNode()
            .Cost("namespace-labels", 1, ("label_kubernetes_io_metadata_name", "web"), ("label_team", "a"), ("namespace", "web"))
            .Cost("namespace-labels", 1, ("namespace", "bare"))
            .Cost("namespace-labels", 1, ("label_cost_management_optimizations", "true"), ("namespace", "api"));

        var ns = f.Build()[ReportKind.Namespace];

        ns.Rows.Select(r => string.Join(",", r.Skip(4))).ShouldBe(
        [
            "api,label_cost_management_optimizations:true",
            "bare,",
            "web,label_kubernetes_io_metadata_name:web|label_team:a",
        ]);
    }
}
