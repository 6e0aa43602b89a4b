using ThanosBridge.Core.Reports;

namespace ThanosBridge.Core.Tests.Reports;

/// <summary>
/// The NVIDIA GPU merge (cmmo-output.md §2.6, gotcha 9): rows only from the utilization set; MIG rows (any non-blank
/// GPU_I_ID, "0" included) take MIG capacity and max slices by exact key; other rows take the non-MIG capacity by
/// pod/namespace/node; capacity is the raw label text; uptime = Σ × step; no gpu_pod_utilization column.
/// </summary>
public class GpuReportTests
{
    private static readonly DateTimeOffset Hour = new(2026, 8, 5, 10, 0, 0, TimeSpan.Zero);

    private static readonly (string, string)[] MigKey =
        [("GPU_I_ID", "0"), ("Hostname", "gpu-node"), ("UUID", "GPU-aaa"), ("exported_namespace", "ml"), ("exported_pod", "train-0")];

    private static readonly (string, string)[] MigUtilization =
        [.. MigKey, ("GPU_I_PROFILE", "3g.20gb"), ("device", "nvidia0"), ("modelName", "NVIDIA A100-SXM4-40GB")];

    private static readonly (string, string)[] WholeUtilization =
        [("Hostname", "gpu-node"), ("UUID", "GPU-bbb"), ("device", "nvidia1"), ("exported_namespace", "ml"), ("exported_pod", "infer-0"),
            ("modelName", "Tesla T4")];

    private static ReportFixture WithNode() => new ReportFixture(Hour).Cost("node-labels", 1, ("node", "gpu-node"));

    [Fact]
    public void Build_MigRowWithInstanceIdZero_TakesMigCapacityAndMaxSlicesByExactKey()
    {
        var f = WithNode()
            .CostSamples("nvidia-gpu-utilization", [0.5], MigUtilization)
            .CostSamples("nvidia-gpu-pod-uptime", [1], MigUtilization)
            .CostSamples("nvidia-gpu-memory-capacity-mib-mig", [1],
                [.. MigKey, ("label_nvidia_com_gpu_memory", "40960"), ("label_nvidia_com_mig_strategy", "mixed")])
            .CostSamples("nvidia-gpu-max-slices", [3, 7, 7], [.. MigKey, ("GPU_I_PROFILE", "3g.20gb"), ("modelName", "NVIDIA A100-SXM4-40GB")]);

        var gpu = f.Build()[ReportKind.NvidiaGpu];

        // uptime: one sample of 1 → 60; max slices: max(3, 7, 7) = 7 without × step.
        gpu.Rows.ShouldHaveSingleItem();
        gpu.Records()[0].ShouldHaveOnly(
            ("node", "gpu-node"), ("namespace", "ml"), ("pod", "train-0"), ("gpu_uuid", "GPU-aaa"),
            ("gpu_model_name", "NVIDIA A100-SXM4-40GB"), ("gpu_vendor_name", "nvidia0"), ("gpu_memory_capacity_mib", "40960"),
            ("gpu_pod_uptime", "60.000000"), ("gpu_max_slices", "7.000000"), ("mig_instance_id", "0"), ("mig_profile", "3g.20gb"),
            ("mig_strategy", "mixed"));
    }

    [Fact]
    public void Build_MigCapacityForAnotherInstance_NotMerged()
    {
        (string, string)[] otherInstance =
            [("GPU_I_ID", "1"), ("Hostname", "gpu-node"), ("UUID", "GPU-aaa"), ("exported_namespace", "ml"), ("exported_pod", "train-0")];
        var f = WithNode()
            .Cost("nvidia-gpu-pod-uptime", 1, MigUtilization)
            .Cost("nvidia-gpu-memory-capacity-mib-mig", 1,
                [.. otherInstance, ("label_nvidia_com_gpu_memory", "40960"), ("label_nvidia_com_mig_strategy", "single")])
            .Cost("nvidia-gpu-max-slices", 7, otherInstance);

        var gpu = f.Build()[ReportKind.NvidiaGpu];

        // Only the utilization row survives; the instance-1 rows have no utilization row and are dropped.
        var row = gpu.Records().ShouldHaveSingleItem();
        row["mig_instance_id"].ShouldBe("0");
        row["gpu_memory_capacity_mib"].ShouldBe("");
        row["gpu_max_slices"].ShouldBe("");
        row["mig_strategy"].ShouldBe("");
    }

    [Fact]
    public void Build_NonMigRow_TakesCapacityByPodNamespaceNodeWithRawLabelText()
    {
        var f = WithNode()
            .Cost("nvidia-gpu-utilization", 0.25, WholeUtilization)
            .Cost("nvidia-gpu-pod-uptime", 1, WholeUtilization)
            .Cost("nvidia-gpu-memory-capacity-mib-non-mig", 1,
                ("label_nvidia_com_gpu_memory", "15360"), ("namespace", "ml"), ("node", "gpu-node"), ("pod", "infer-0"));

        var row = f.Build()[ReportKind.NvidiaGpu].Single("pod", "infer-0");

        // 60 samples of 1 → 3600; the capacity is the label text, not 15360.000000.
        row.ShouldHaveOnly(
            ("node", "gpu-node"), ("namespace", "ml"), ("pod", "infer-0"), ("gpu_uuid", "GPU-bbb"), ("gpu_model_name", "Tesla T4"),
            ("gpu_vendor_name", "nvidia1"), ("gpu_memory_capacity_mib", "15360"), ("gpu_pod_uptime", "3600.000000"));
    }

    [Fact]
    public void Build_NonMigRowWithMatchingMaxSlicesAndMigCapacityKeys_MaxSlicesAndStrategyStayEmpty()
    {
        (string, string)[] key =
            [("GPU_I_ID", ""), ("Hostname", "gpu-node"), ("UUID", "GPU-bbb"), ("exported_namespace", "ml"), ("exported_pod", "infer-0")];
        var f = WithNode()
            .Cost("nvidia-gpu-pod-uptime", 1, WholeUtilization)
            .Cost("nvidia-gpu-max-slices", 7, [.. key.Where(l => l.Item1 != "GPU_I_ID")])
            .Cost("nvidia-gpu-memory-capacity-mib-mig", 1,
                [.. key.Where(l => l.Item1 != "GPU_I_ID"), ("label_nvidia_com_gpu_memory", "99999"), ("label_nvidia_com_mig_strategy", "single")])
            .Cost("nvidia-gpu-memory-capacity-mib-non-mig", 1,
                ("label_nvidia_com_gpu_memory", "16384"), ("namespace", "ml"), ("node", "gpu-node"), ("pod", "infer-0"));

        var row = f.Build()[ReportKind.NvidiaGpu].Single("pod", "infer-0");

        row["gpu_memory_capacity_mib"].ShouldBe("16384");
        row["gpu_max_slices"].ShouldBe("");
        row["mig_strategy"].ShouldBe("");
        row["mig_instance_id"].ShouldBe("");
        row["mig_profile"].ShouldBe("");
    }

    [Fact]
    public void Build_WhitespaceInstanceId_TreatedAsNonMig()
    {
        (string, string)[] utilization = [.. WholeUtilization, ("GPU_I_ID", " ")];
        var f = WithNode()
            .Cost("nvidia-gpu-pod-uptime", 1, utilization)
            .Cost("nvidia-gpu-memory-capacity-mib-non-mig", 1,
                ("label_nvidia_com_gpu_memory", "15360"), ("namespace", "ml"), ("node", "gpu-node"), ("pod", "infer-0"));

        var row = f.Build()[ReportKind.NvidiaGpu].Single("pod", "infer-0");

        row["mig_instance_id"].ShouldBe(" ");
        row["gpu_memory_capacity_mib"].ShouldBe("15360");
    }

    [Fact]
    public void Build_DuplicateNonMigCapacityKeys_LastSeriesWins()
    {
        var f = WithNode()
            .Cost("nvidia-gpu-pod-uptime", 1, WholeUtilization)
            .Cost("nvidia-gpu-memory-capacity-mib-non-mig", 1,
                ("label_nvidia_com_gpu_memory", "15360"), ("namespace", "ml"), ("node", "gpu-node"), ("pod", "infer-0"))
            .Cost("nvidia-gpu-memory-capacity-mib-non-mig", 1,
                ("label_nvidia_com_gpu_memory", "20480"), ("namespace", "ml"), ("node", "gpu-node"), ("pod", "infer-0"));

        f.Build()[ReportKind.NvidiaGpu].Single("pod", "infer-0")["gpu_memory_capacity_mib"].ShouldBe("20480");
    }

    [Fact]
    public void Build_CapacityAndMaxSlicesWithoutUtilization_NoGpuRows()
    {
        var f = WithNode()
            .Cost("nvidia-gpu-memory-capacity-mib-non-mig", 1,
                ("label_nvidia_com_gpu_memory", "15360"), ("namespace", "ml"), ("node", "gpu-node"), ("pod", "infer-0"))
            .Cost("nvidia-gpu-memory-capacity-mib-mig", 1,
                [.. MigKey, ("label_nvidia_com_gpu_memory", "40960"), ("label_nvidia_com_mig_strategy", "single")])
            .Cost("nvidia-gpu-max-slices", 7, MigKey);

        var gpu = f.Build()[ReportKind.NvidiaGpu];

        gpu.Rows.ShouldBeEmpty();
        gpu.Header.ShouldNotContain("gpu_pod_utilization");
    }

    [Fact]
    public void Build_UtilizationWithoutCapacity_RowWithEmptyCapacity()
    {
        var f = WithNode().Cost("nvidia-gpu-pod-uptime", 1, WholeUtilization).Cost("nvidia-gpu-pod-uptime", 1, MigUtilization);

        var gpu = f.Build()[ReportKind.NvidiaGpu];

        gpu.Rows.Count.ShouldBe(2);
        gpu.Column("gpu_memory_capacity_mib").ShouldBe(["", ""]);
    }

    [Fact]
    public void Build_UptimePartOfTheHour_SumTimesStep()
    {
        // 30 samples of 1 (clamp_max(x + 1, 1)) from 10:30 → 1800.
        var f = WithNode().CostFrom("nvidia-gpu-pod-uptime", 30, [.. Enumerable.Repeat(1.0, 30)], WholeUtilization);

        f.Build()[ReportKind.NvidiaGpu].Single("pod", "infer-0")["gpu_pod_uptime"].ShouldBe("1800.000000");
    }

    [Fact]
    public void Build_UtilizationOnly_RowWithoutUtilizationValueOrUptime()
    {
        // The utilization query defines the row, but its value has no column (Bridge decision a).
        var f = WithNode().Cost("nvidia-gpu-utilization", 0.75, WholeUtilization);

        var gpu = f.Build()[ReportKind.NvidiaGpu];

        var row = gpu.Rows.ShouldHaveSingleItem();
        row.ShouldNotContain("45.000000");
        row.ShouldNotContain("2700.000000");
        gpu.Single("pod", "infer-0").ShouldHaveOnly(
            ("node", "gpu-node"), ("namespace", "ml"), ("pod", "infer-0"), ("gpu_uuid", "GPU-bbb"), ("gpu_model_name", "Tesla T4"),
            ("gpu_vendor_name", "nvidia1"));
    }

    [Fact]
    public void Build_GpuNodeWithoutNodeRow_NodeColumnStillFromHostname()
    {
        var f = new ReportFixture(Hour).Cost("node-labels", 1, ("node", "other")).Cost("nvidia-gpu-pod-uptime", 1, WholeUtilization);

        f.Build()[ReportKind.NvidiaGpu].Single("pod", "infer-0")["node"].ShouldBe("gpu-node");
    }
}
