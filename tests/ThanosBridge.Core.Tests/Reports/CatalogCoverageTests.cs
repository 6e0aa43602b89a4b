using ThanosBridge.Core.Collection.Catalog;
using ThanosBridge.Core.Reports;
using static ThanosBridge.Core.Tests.Reports.FullCatalogFixture;
using static ThanosBridge.Core.Tests.Reports.ReportAssertions;

namespace ThanosBridge.Core.Tests.Reports;

/// <summary>
/// Every one of the 92 catalog queries returns data, and every value lands in its column (cmmo-output.md §2, §3.3).
/// Cost values follow the ramp v then 2v: sum → 5400 v seconds; max → 2 v and 7200 v seconds.
/// </summary>
public class CatalogCoverageTests
{
    private static readonly ReportSet Reports = Create().Build();

    [Fact]
    public void FullFixture_AllCatalogQueries_EveryQueryNameHasData()
    {
        var names = Create().QueryNames;

        names.Count.ShouldBe(92);
        names.ShouldBe(QueryCatalog.All.Select(q => q.Name), ignoreOrder: true);
    }

    [Fact]
    public void Build_AllCatalogQueries_EveryColumnOfEveryReportHasAValue()
    {
        Reports.Tables.Count.ShouldBe(8);
        foreach (var table in Reports.Tables)
        {
            table.Rows.Count.ShouldBeGreaterThan(0, table.FileName);
            var records = table.Records();
            foreach (var column in table.Header)
            {
                records.ShouldContain(r => r[column] != "", $"{table.FileName}: column {column} is never filled");
            }
        }
    }

    [Fact]
    public void Build_AllCatalogQueries_NodeRowsAreTheUnionOfTheNodeQueries()
    {
        var node = Reports[ReportKind.Node];

        node.Column("node").ShouldBe(["node-a", "node-alloc-cpu", "node-alloc-mem"]);
        node.Single("node", "node-a").ShouldHaveOnly(("node", "node-a"), ("node_labels", "label_kubernetes_io_arch:amd64|label_zone:z1"));
        node.Single("node", "node-alloc-cpu").ShouldHaveOnly(("node", "node-alloc-cpu"));
        node.Single("node", "node-alloc-mem").ShouldHaveOnly(("node", "node-alloc-mem"));
    }

    [Fact]
    public void Build_AllCatalogQueries_PodValuesLandInTheirColumns()
    {
        var pod = Reports[ReportKind.Pod];

        pod.Rows.Count.ShouldBe(1);
        pod.Single("pod", "p1").ShouldHaveOnly(
            ("node", "node-a"),
            ("namespace", "ns1"),
            ("pod", "p1"),
            ("pod_usage_cpu_core_seconds", "48600.000000"),
            ("pod_request_cpu_core_seconds", "37800.000000"),
            ("pod_limit_cpu_core_seconds", "27000.000000"),
            ("pod_usage_memory_byte_seconds", "54000.000000"),
            ("pod_request_memory_byte_seconds", "43200.000000"),
            ("pod_limit_memory_byte_seconds", "32400.000000"),
            ("node_capacity_cpu_cores", "6.000000"),
            ("node_capacity_cpu_core_seconds", "21600.000000"),
            ("node_capacity_memory_bytes", "8.000000"),
            ("node_capacity_memory_byte_seconds", "28800.000000"),
            ("node_role", "worker"),
            ("resource_id", "i-0abc"),
            ("pod_labels", "label_app:web"));
    }

    [Fact]
    public void Build_AllCatalogQueries_StorageValuesLandInTheirColumns()
    {
        var storage = Reports[ReportKind.Storage];

        storage.Rows.Count.ShouldBe(1);
        storage.Single("persistentvolume", "pv1").ShouldHaveOnly(
            ("namespace", "ns1"),
            ("pod", "p1"),
            ("node", "node-a"),
            ("persistentvolumeclaim", "pvc1"),
            ("persistentvolume", "pv1"),
            ("storageclass", "gp3"),
            ("csi_driver", "ebs.csi.aws.com"),
            ("csi_volume_handle", "vol-123"),
            ("persistentvolumeclaim_capacity_bytes", "22.000000"),
            ("persistentvolumeclaim_capacity_byte_seconds", "79200.000000"),
            ("volume_request_storage_byte_seconds", "86400.000000"),
            ("persistentvolumeclaim_usage_byte_seconds", "70200.000000"),
            ("persistentvolume_labels", "label_tier:gold"),
            ("persistentvolumeclaim_labels", "label_owner:db"));
    }

    [Fact]
    public void Build_AllCatalogQueries_VmValuesLandInTheirColumns()
    {
        var vm = Reports[ReportKind.VirtualMachine];

        vm.Rows.Count.ShouldBe(1);
        vm.Single("vm_name", "vm1").ShouldHaveOnly(
            ("node", "node-a"),
            ("resource_id", "vm-host-1"),
            ("namespace", "ns1"),
            ("vm_name", "vm1"),
            ("vm_instance_type", "u1.medium"),
            ("vm_os", "linux"),
            ("vm_guest_os_arch", "amd64"),
            ("vm_guest_os_name", "Fedora Linux"),
            ("vm_guest_os_version", "39"),
            ("vm_uptime_total_seconds", "3600.000000"),
            ("vm_cpu_limit_cores", "28.000000"),
            ("vm_cpu_limit_core_seconds", "100800.000000"),
            ("vm_cpu_request_cores", "30.000000"),
            ("vm_cpu_request_core_seconds", "108000.000000"),
            ("vm_cpu_request_sockets", "32.000000"),
            ("vm_cpu_request_socket_seconds", "115200.000000"),
            ("vm_cpu_request_threads", "34.000000"),
            ("vm_cpu_request_thread_seconds", "122400.000000"),
            ("vm_cpu_usage_total_seconds", "97200.000000"),
            ("vm_memory_limit_bytes", "38.000000"),
            ("vm_memory_limit_byte_seconds", "136800.000000"),
            ("vm_memory_request_bytes", "40.000000"),
            ("vm_memory_request_byte_seconds", "144000.000000"),
            ("vm_memory_usage_byte_seconds", "113400.000000"),
            ("vm_device", "rootdisk"),
            ("vm_volume_mode", "Filesystem"),
            ("vm_persistentvolumeclaim_name", "vm1-root"),
            ("vm_disk_allocated_size_byte_seconds", "158400.000000"),
            ("vm_labels", "label_kubevirt_io_domain:vm1"));
    }

    [Fact]
    public void Build_AllCatalogQueries_NamespaceValuesLandInTheirColumns()
    {
        var ns = Reports[ReportKind.Namespace];

        ns.Rows.Count.ShouldBe(1);
        ns.Single("namespace", "ns1").ShouldHaveOnly(("namespace", "ns1"), ("namespace_labels", "label_team:core"));
    }

    [Fact]
    public void Build_AllCatalogQueries_GpuValuesLandInTheirColumns()
    {
        var gpu = Reports[ReportKind.NvidiaGpu];

        gpu.Rows.Count.ShouldBe(2);
        gpu.Single("pod", "gp1").ShouldHaveOnly(
            ("node", "node-a"),
            ("namespace", "ns1"),
            ("pod", "gp1"),
            ("gpu_uuid", "GPU-1"),
            ("gpu_model_name", "NVIDIA A100"),
            ("gpu_vendor_name", "nvidia0"),
            ("gpu_memory_capacity_mib", "40960"),
            ("gpu_pod_uptime", "3600.000000"),
            ("gpu_max_slices", "14.000000"),
            ("mig_instance_id", "0"),
            ("mig_profile", "1g.5gb"),
            ("mig_strategy", "single"));
        gpu.Single("pod", "gp2").ShouldHaveOnly(
            ("node", "node-a"),
            ("namespace", "ns1"),
            ("pod", "gp2"),
            ("gpu_uuid", "GPU-2"),
            ("gpu_model_name", "Tesla T4"),
            ("gpu_vendor_name", "nvidia1"),
            ("gpu_memory_capacity_mib", "15360"),
            ("gpu_pod_uptime", "3600.000000"));
    }

    [Fact]
    public void Build_AllCatalogQueries_RosContainerValuesLandInTheirColumnsPerWindow()
    {
        var ros = Reports[ReportKind.RosContainer];

        ros.Rows.Count.ShouldBe(4);
        var records = ros.Records();
        for (var w = 1; w <= 4; w++)
        {
            var record = records[w - 1];
            var expected = new List<(string, string)>
            {
                ("container_name", "c1"), ("pod", "p1"), ("owner_name", "web-5d8c4c47bf"), ("owner_kind", "ReplicaSet"),
                ("workload", "web"), ("workload_type", "deployment"), ("namespace", "ns1"), ("image_name", "quay.io/acme/web:1.2"),
                ("node", "node-a"), ("resource_id", "i-0abc"),
                ("accelerator_model_name", "NVIDIA A100"), ("accelerator_profile_name", "1g.5gb"),
            };
            for (var i = 0; i < RosContainerMetricQueries.Length; i++)
            {
                // The CSV column is the query name with '-' replaced by '_' (§2.8).
                expected.Add((RosContainerMetricQueries[i].Replace('-', '_'), F6(ContainerValue(i, w))));
            }

            for (var i = 0; i < RosAcceleratorQueries.Length; i++)
            {
                expected.Add((RosAcceleratorQueries[i].Replace('-', '_'), F6(AcceleratorValue(i, w))));
            }

            record.ShouldHaveOnly([.. expected]);
        }

        // Spot checks written out: first metric of window 1, last accelerator metric of window 4.
        records[0]["cpu_request_container_avg"].ShouldBe("10.250000");
        records[3]["accelerator_frame_buffer_usage_avg"].ShouldBe("591.000000");
    }

    [Fact]
    public void Build_AllCatalogQueries_RosNamespaceValuesLandInTheirColumnsPerWindow()
    {
        var ros = Reports[ReportKind.RosNamespace];

        ros.Rows.Count.ShouldBe(4);
        var records = ros.Records();
        for (var w = 1; w <= 4; w++)
        {
            var expected = new List<(string, string)> { ("namespace", "ns1") };
            for (var i = 0; i < RosNamespaceQueries.Length; i++)
            {
                expected.Add((RosNamespaceQueries[i].Column, F6(NamespaceValue(i, w))));
            }

            records[w - 1].ShouldHaveOnly([.. expected]);
        }

        records[0]["namespace_running_pods_max"].ShouldBe("1170.250000");
        records[0]["namespace_running_pods_avg"].ShouldBe("1180.250000");
        records[0]["namespace_total_pods_max"].ShouldBe("1190.250000");
        records[3]["namespace_total_pods_avg"].ShouldBe("1201.000000");
    }
}
