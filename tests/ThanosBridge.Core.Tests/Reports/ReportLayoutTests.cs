using ThanosBridge.Core.Reports;

namespace ThanosBridge.Core.Tests.Reports;

/// <summary>Exact header lines (cmmo-output.md §3.3, GPU per Bridge decision a), file names and the four leading columns (§3.2).</summary>
public class ReportLayoutTests
{
    private static readonly ReportSet Reports = FullCatalogFixture.Create().Build();

    public static TheoryData<ReportKind, string> Headers => new()
    {
        { ReportKind.Node, "report_period_start,report_period_end,interval_start,interval_end,node,node_labels" },
        {
            ReportKind.Pod,
            "report_period_start,report_period_end,interval_start,interval_end,node,namespace,pod,pod_usage_cpu_core_seconds," +
            "pod_request_cpu_core_seconds,pod_limit_cpu_core_seconds,pod_usage_memory_byte_seconds,pod_request_memory_byte_seconds," +
            "pod_limit_memory_byte_seconds,node_capacity_cpu_cores,node_capacity_cpu_core_seconds,node_capacity_memory_bytes," +
            "node_capacity_memory_byte_seconds,node_role,resource_id,pod_labels"
        },
        {
            ReportKind.Storage,
            "report_period_start,report_period_end,interval_start,interval_end,namespace,pod,node,persistentvolumeclaim," +
            "persistentvolume,storageclass,csi_driver,csi_volume_handle,persistentvolumeclaim_capacity_bytes," +
            "persistentvolumeclaim_capacity_byte_seconds,volume_request_storage_byte_seconds,persistentvolumeclaim_usage_byte_seconds," +
            "persistentvolume_labels,persistentvolumeclaim_labels"
        },
        {
            ReportKind.VirtualMachine,
            "report_period_start,report_period_end,interval_start,interval_end,node,resource_id,namespace,vm_name,vm_instance_type," +
            "vm_os,vm_guest_os_arch,vm_guest_os_name,vm_guest_os_version,vm_uptime_total_seconds,vm_cpu_limit_cores," +
            "vm_cpu_limit_core_seconds,vm_cpu_request_cores,vm_cpu_request_core_seconds,vm_cpu_request_sockets," +
            "vm_cpu_request_socket_seconds,vm_cpu_request_threads,vm_cpu_request_thread_seconds,vm_cpu_usage_total_seconds," +
            "vm_memory_limit_bytes,vm_memory_limit_byte_seconds,vm_memory_request_bytes,vm_memory_request_byte_seconds," +
            "vm_memory_usage_byte_seconds,vm_device,vm_volume_mode,vm_persistentvolumeclaim_name," +
            "vm_disk_allocated_size_byte_seconds,vm_labels"
        },
        { ReportKind.Namespace, "report_period_start,report_period_end,interval_start,interval_end,namespace,namespace_labels" },
        {
            // CMMO's header without gpu_pod_utilization (Bridge decision a).
            ReportKind.NvidiaGpu,
            "report_period_start,report_period_end,interval_start,interval_end,node,namespace,pod,gpu_uuid,gpu_model_name," +
            "gpu_vendor_name,gpu_memory_capacity_mib,gpu_pod_uptime,gpu_max_slices,mig_instance_id,mig_profile,mig_strategy"
        },
        {
            ReportKind.RosContainer,
            "report_period_start,report_period_end,interval_start,interval_end,container_name,pod,owner_name,owner_kind,workload," +
            "workload_type,namespace,image_name,node,resource_id,cpu_request_container_avg,cpu_request_container_sum," +
            "cpu_limit_container_avg,cpu_limit_container_sum,cpu_usage_container_avg,cpu_usage_container_min," +
            "cpu_usage_container_max,cpu_usage_container_sum,cpu_throttle_container_avg,cpu_throttle_container_max," +
            "cpu_throttle_container_min,cpu_throttle_container_sum,memory_request_container_avg,memory_request_container_sum," +
            "memory_limit_container_avg,memory_limit_container_sum,memory_usage_container_avg,memory_usage_container_min," +
            "memory_usage_container_max,memory_usage_container_sum,memory_rss_usage_container_avg,memory_rss_usage_container_min," +
            "memory_rss_usage_container_max,memory_rss_usage_container_sum,accelerator_model_name,accelerator_profile_name," +
            "accelerator_core_usage_percentage_min,accelerator_core_usage_percentage_max,accelerator_core_usage_percentage_avg," +
            "accelerator_memory_copy_percentage_min,accelerator_memory_copy_percentage_max,accelerator_memory_copy_percentage_avg," +
            "accelerator_frame_buffer_usage_min,accelerator_frame_buffer_usage_max,accelerator_frame_buffer_usage_avg"
        },
        {
            ReportKind.RosNamespace,
            "report_period_start,report_period_end,interval_start,interval_end,namespace,cpu_request_namespace_sum," +
            "cpu_limit_namespace_sum,cpu_usage_namespace_avg,cpu_usage_namespace_max,cpu_usage_namespace_min," +
            "cpu_throttle_namespace_avg,cpu_throttle_namespace_max,cpu_throttle_namespace_min,memory_request_namespace_sum," +
            "memory_limit_namespace_sum,memory_usage_namespace_avg,memory_usage_namespace_max,memory_usage_namespace_min," +
            "memory_rss_usage_namespace_avg,memory_rss_usage_namespace_max,memory_rss_usage_namespace_min," +
            "namespace_running_pods_max,namespace_running_pods_avg,namespace_total_pods_max,namespace_total_pods_avg"
        },
    };

    public static TheoryData<ReportKind, string> FileNames => new()
    {
        { ReportKind.Node, "cm-openshift-node-usage-202611.csv" },
        { ReportKind.Pod, "cm-openshift-pod-usage-202611.csv" },
        { ReportKind.Storage, "cm-openshift-storage-usage-202611.csv" },
        { ReportKind.VirtualMachine, "cm-openshift-vm-usage-202611.csv" },
        { ReportKind.Namespace, "cm-openshift-namespace-usage-202611.csv" },
        { ReportKind.NvidiaGpu, "cm-openshift-nvidia-gpu-usage-202611.csv" },
        { ReportKind.RosContainer, "ros-openshift-container-202611.csv" },
        { ReportKind.RosNamespace, "ros-openshift-namespace-202611.csv" },
    };

    [Theory]
    [MemberData(nameof(Headers))]
    public void Build_AnyReport_HeaderIsCmmoHeaderLine(ReportKind kind, string header)
    {
        string.Join(',', Reports[kind].Header).ShouldBe(header);
    }

    [Theory]
    [MemberData(nameof(FileNames))]
    public void Build_HourInNovember_FileNameCarriesTheMonth(ReportKind kind, string fileName)
    {
        Reports[kind].FileName.ShouldBe(fileName);
        Reports[kind].Kind.ShouldBe(kind);
    }

    [Fact]
    public void Build_AllReports_TablesInCmmoReportOrder()
    {
        Reports.Tables.Select(t => t.Kind).ShouldBe(
        [
            ReportKind.Node, ReportKind.Pod, ReportKind.Storage, ReportKind.VirtualMachine, ReportKind.Namespace,
            ReportKind.NvidiaGpu, ReportKind.RosContainer, ReportKind.RosNamespace,
        ]);
    }

    [Theory]
    [InlineData(ReportKind.Node)]
    [InlineData(ReportKind.Pod)]
    [InlineData(ReportKind.Storage)]
    [InlineData(ReportKind.VirtualMachine)]
    [InlineData(ReportKind.Namespace)]
    [InlineData(ReportKind.NvidiaGpu)]
    public void Build_LastHourOfMonth_CostIntervalIsTheWholeHourAndPeriodIsTheMonth(ReportKind kind)
    {
        foreach (var row in Reports[kind].Rows)
        {
            row.Take(4).ShouldBe(
            [
                "2026-11-01 00:00:00 +0000 UTC",
                "2026-12-01 00:00:00 +0000 UTC",
                "2026-11-30 23:00:00 +0000 UTC",
                "2026-11-30 23:59:59 +0000 UTC",
            ]);
        }
    }

    [Theory]
    [InlineData(ReportKind.RosContainer)]
    [InlineData(ReportKind.RosNamespace)]
    public void Build_LastHourOfMonth_RosIntervalsAreTheFourQuarterHoursEndingAtMidnight(ReportKind kind)
    {
        var leading = Reports[kind].Rows.Select(r => string.Join(" | ", r.Take(4))).ToList();

        const string Period = "2026-11-01 00:00:00 +0000 UTC | 2026-12-01 00:00:00 +0000 UTC";
        leading.ShouldBe(
        [
            $"{Period} | 2026-11-30 23:00:01 +0000 UTC | 2026-11-30 23:15:00 +0000 UTC",
            $"{Period} | 2026-11-30 23:15:01 +0000 UTC | 2026-11-30 23:30:00 +0000 UTC",
            $"{Period} | 2026-11-30 23:30:01 +0000 UTC | 2026-11-30 23:45:00 +0000 UTC",
            $"{Period} | 2026-11-30 23:45:01 +0000 UTC | 2026-12-01 00:00:00 +0000 UTC",
        ]);
    }

    [Fact]
    public void Build_MidMonthHour_PeriodIsFirstOfMonthToFirstOfNextMonth()
    {
        var hour = new DateTimeOffset(2026, 8, 5, 10, 0, 0, TimeSpan.Zero);
        var reports = new ReportFixture(hour).Cost("node-labels", 1, ("node", "n1")).Build();

        reports[ReportKind.Node].Rows.ShouldHaveSingleItem().ShouldBe(
        [
            "2026-08-01 00:00:00 +0000 UTC", "2026-09-01 00:00:00 +0000 UTC",
            "2026-08-05 10:00:00 +0000 UTC", "2026-08-05 10:59:59 +0000 UTC", "n1", "",
        ]);
        reports[ReportKind.Node].FileName.ShouldBe("cm-openshift-node-usage-202608.csv");
    }

    [Fact]
    public void Build_DecemberHour_PeriodEndsInJanuaryOfNextYear()
    {
        var hour = new DateTimeOffset(2026, 12, 31, 23, 0, 0, TimeSpan.Zero);
        var reports = new ReportFixture(hour).Cost("node-labels", 1, ("node", "n1")).Build();

        reports[ReportKind.Node].Rows.ShouldHaveSingleItem().Take(4).ShouldBe(
        [
            "2026-12-01 00:00:00 +0000 UTC", "2027-01-01 00:00:00 +0000 UTC",
            "2026-12-31 23:00:00 +0000 UTC", "2026-12-31 23:59:59 +0000 UTC",
        ]);
    }

    [Fact]
    public void Build_OnlyNodeData_SixCostTablesWithHeadersAndNoRosTables()
    {
        var reports = new ReportFixture(FullCatalogFixture.Hour).Cost("node-labels", 1, ("node", "n1")).Build();

        reports.Tables.Select(t => t.Kind).ShouldBe(
        [
            ReportKind.Node, ReportKind.Pod, ReportKind.Storage, ReportKind.VirtualMachine, ReportKind.Namespace, ReportKind.NvidiaGpu,
        ]);
        reports[ReportKind.Node].Rows.Count.ShouldBe(1);
        foreach (var kind in new[] { ReportKind.Pod, ReportKind.Storage, ReportKind.VirtualMachine, ReportKind.Namespace, ReportKind.NvidiaGpu })
        {
            reports[kind].Rows.ShouldBeEmpty();
            reports[kind].Header.ShouldNotBeEmpty();
        }

        reports.Has(ReportKind.RosContainer).ShouldBeFalse();
        reports.Has(ReportKind.RosNamespace).ShouldBeFalse();
    }

    [Fact]
    public void Build_NoHours_Throws()
    {
        var inputs = new ReportFixture(FullCatalogFixture.Hour).Inputs() with { Hours = [] };

        Should.Throw<ArgumentException>(() => ReportBuilder.Build(inputs));
    }

    [Fact]
    public void Build_NullInputs_Throws()
    {
        Should.Throw<ArgumentNullException>(() => ReportBuilder.Build(null!));
    }
}
