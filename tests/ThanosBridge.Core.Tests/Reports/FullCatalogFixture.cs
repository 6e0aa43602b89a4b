namespace ThanosBridge.Core.Tests.Reports;

/// <summary>
/// A fixture in which every one of the 92 catalog queries returns data for one hour, each with its own value, so that
/// every column of every report gets a non-empty cell. Cost values use <see cref="ReportFixture.Ramp"/> (v, then 2v):
/// a sum query's seconds column is 5400 v, a max query's value column 2 v and its seconds column 7200 v.
/// </summary>
internal static class FullCatalogFixture
{
    /// <summary>The last hour of a month, so the leading columns cross into the next month in window 4 of ROS.</summary>
    public static readonly DateTimeOffset Hour = new(2026, 11, 30, 23, 0, 0, TimeSpan.Zero);

    /// <summary>The 24 ROS CPU/memory container queries, in CSV column order.</summary>
    public static readonly string[] RosContainerMetricQueries =
    [
        "cpu-request-container-avg", "cpu-request-container-sum", "cpu-limit-container-avg", "cpu-limit-container-sum",
        "cpu-usage-container-avg", "cpu-usage-container-min", "cpu-usage-container-max", "cpu-usage-container-sum",
        "cpu-throttle-container-avg", "cpu-throttle-container-max", "cpu-throttle-container-min", "cpu-throttle-container-sum",
        "memory-request-container-avg", "memory-request-container-sum", "memory-limit-container-avg", "memory-limit-container-sum",
        "memory-usage-container-avg", "memory-usage-container-min", "memory-usage-container-max", "memory-usage-container-sum",
        "memory-rss-usage-container-avg", "memory-rss-usage-container-min", "memory-rss-usage-container-max",
        "memory-rss-usage-container-sum",
    ];

    /// <summary>The 9 ROS accelerator queries, in CSV column order.</summary>
    public static readonly string[] RosAcceleratorQueries =
    [
        "accelerator-core-usage-percentage-min", "accelerator-core-usage-percentage-max", "accelerator-core-usage-percentage-avg",
        "accelerator-memory-copy-percentage-min", "accelerator-memory-copy-percentage-max", "accelerator-memory-copy-percentage-avg",
        "accelerator-frame-buffer-usage-min", "accelerator-frame-buffer-usage-max", "accelerator-frame-buffer-usage-avg",
    ];

    /// <summary>The 20 ROS namespace queries and the CSV column each one feeds (§3.3).</summary>
    public static readonly (string Query, string Column)[] RosNamespaceQueries =
    [
        ("cpu-request-namespace-sum", "cpu_request_namespace_sum"),
        ("cpu-limit-namespace-sum", "cpu_limit_namespace_sum"),
        ("cpu-usage-namespace-avg", "cpu_usage_namespace_avg"),
        ("cpu-usage-namespace-max", "cpu_usage_namespace_max"),
        ("cpu-usage-namespace-min", "cpu_usage_namespace_min"),
        ("cpu-throttle-namespace-avg", "cpu_throttle_namespace_avg"),
        ("cpu-throttle-namespace-max", "cpu_throttle_namespace_max"),
        ("cpu-throttle-namespace-min", "cpu_throttle_namespace_min"),
        ("memory-request-namespace-sum", "memory_request_namespace_sum"),
        ("memory-limit-namespace-sum", "memory_limit_namespace_sum"),
        ("memory-usage-namespace-avg", "memory_usage_namespace_avg"),
        ("memory-usage-namespace-max", "memory_usage_namespace_max"),
        ("memory-usage-namespace-min", "memory_usage_namespace_min"),
        ("memory-rss-usage-namespace-avg", "memory_rss_usage_namespace_avg"),
        ("memory-rss-usage-namespace-max", "memory_rss_usage_namespace_max"),
        ("memory-rss-usage-namespace-min", "memory_rss_usage_namespace_min"),
        ("pods-running-namespace-max", "namespace_running_pods_max"),
        ("pods-running-namespace-avg", "namespace_running_pods_avg"),
        ("pods-total-namespace-max", "namespace_total_pods_max"),
        ("pods-total-namespace-avg", "namespace_total_pods_avg"),
    ];

    /// <summary>The value of ROS container metric <paramref name="index"/> (0-based, column order) in window w.</summary>
    public static double ContainerValue(int index, int window) => ((index + 1) * 10) + (window * 0.25);

    /// <summary>The value of accelerator metric <paramref name="index"/> in window w.</summary>
    public static double AcceleratorValue(int index, int window) => 500 + ((index + 1) * 10) + (window * 0.25);

    /// <summary>The value of ROS namespace metric <paramref name="index"/> in window w.</summary>
    public static double NamespaceValue(int index, int window) => 1000 + ((index + 1) * 10) + (window * 0.25);

    public static ReportFixture Create()
    {
        var f = new ReportFixture(Hour);
        const string Provider = "aws:///us-east-1a/i-0abc";

        // Node: node-a everywhere; two nodes that only the allocatable queries know.
        f.Ramp("node-allocatable-cpu-cores", 1, ("node", "node-a"), ("provider_id", Provider));
        f.Ramp("node-allocatable-cpu-cores", 1, ("node", "node-alloc-cpu"), ("provider_id", "aws:///us-east-1a/i-0cpu"));
        f.Ramp("node-allocatable-memory-bytes", 2, ("node", "node-a"), ("provider_id", Provider));
        f.Ramp("node-allocatable-memory-bytes", 2, ("node", "node-alloc-mem"), ("provider_id", "aws:///us-east-1a/i-0mem"));
        f.Ramp("node-capacity-cpu-cores", 3, ("node", "node-a"), ("provider_id", Provider));
        f.Ramp("node-capacity-memory-bytes", 4, ("node", "node-a"), ("provider_id", Provider));
        f.Cost("node-role", 1, ("node", "node-a"), ("role", "worker"));
        f.Cost("node-labels", 1, ("node", "node-a"), ("label_kubernetes_io_arch", "amd64"), ("label_zone", "z1"));

        // Pod p1 in ns1 on node-a.
        (string, string)[] pod = [("namespace", "ns1"), ("node", "node-a"), ("pod", "p1")];
        f.Ramp("pod-limit-cpu-cores", 5, pod);
        f.Ramp("pod-limit-memory-bytes", 6, pod);
        f.Ramp("pod-request-cpu-cores", 7, pod);
        f.Ramp("pod-request-memory-bytes", 8, pod);
        f.Ramp("pod-usage-cpu-cores", 9, pod);
        f.Ramp("pod-usage-memory-bytes", 10, pod);
        f.Cost("pod-labels", 1, ("label_app", "web"), ("namespace", "ns1"), ("pod", "p1"));

        // Storage: PV pv1 bound to pvc1 of pod p1.
        f.Cost("persistentvolume-pod-info", 1,
            ("namespace", "ns1"), ("persistentvolumeclaim", "pvc1"), ("pod", "p1"), ("volumename", "pv1"));
        f.Ramp("persistentvolumeclaim-capacity-bytes", 11, ("persistentvolume", "pv1"));
        f.Ramp("persistentvolumeclaim-request-bytes", 12, ("namespace", "ns1"), ("persistentvolumeclaim", "pvc1"), ("volumename", "pv1"));
        f.Ramp("persistentvolumeclaim-usage-bytes", 13,
            ("namespace", "ns1"), ("node", "node-a"), ("persistentvolumeclaim", "pvc1"), ("volumename", "pv1"));
        f.Cost("persistentvolume-labels", 1, ("csi_driver", "ebs.csi.aws.com"), ("csi_volume_handle", "vol-123"),
            ("label_tier", "gold"), ("persistentvolume", "pv1"), ("storageclass", "gp3"));
        f.Cost("persistentvolumeclaim-labels", 1, ("label_owner", "db"), ("namespace", "ns1"),
            ("persistentvolumeclaim", "pvc1"), ("volumename", "pv1"));

        f.Cost("namespace-labels", 1, ("label_team", "core"), ("namespace", "ns1"));

        // VM vm1 in ns1.
        (string, string)[] vm = [("name", "vm1"), ("namespace", "ns1")];
        f.Ramp("vm_cpu_limit_cores", 14, vm);
        f.Ramp("vm_cpu_request_cores", 15, vm);
        f.Ramp("vm_cpu_request_sockets", 16, vm);
        f.Ramp("vm_cpu_request_threads", 17, vm);
        f.Ramp("vm_cpu_usage", 18, vm);
        f.Ramp("vm_memory_limit_bytes", 19, vm);
        f.Ramp("vm_memory_request_bytes", 20, [.. vm, ("resource", "memory")]);
        f.Ramp("vm_memory_usage", 21, vm);
        f.Cost("vm_info", 1, ("guest_os_arch", "amd64"), ("guest_os_name", "Fedora Linux"), ("guest_os_version_id", "39"),
            ("instance_type", "u1.medium"), ("name", "vm1"), ("namespace", "ns1"), ("node", "node-a"), ("os", "linux"),
            ("provider_id", "gce://proj/us-central1-a/vm-host-1"));
        f.Ramp("vm_disk_allocated_size", 22, ("device", "rootdisk"), ("name", "vm1"), ("namespace", "ns1"),
            ("persistentvolumeclaim", "vm1-root"), ("volume_mode", "Filesystem"));
        f.Cost("vm_labels", 1, ("label_kubevirt_io_domain", "vm1"), ("name", "vm1"), ("namespace", "ns1"));

        // GPU: a MIG instance (GPU_I_ID "0") for gp1 and a whole GPU for gp2, both on node-a.
        (string, string)[] mig = [("GPU_I_ID", "0"), ("GPU_I_PROFILE", "1g.5gb"), ("Hostname", "node-a"), ("UUID", "GPU-1"),
            ("device", "nvidia0"), ("exported_namespace", "ns1"), ("exported_pod", "gp1"), ("modelName", "NVIDIA A100")];
        (string, string)[] whole = [("Hostname", "node-a"), ("UUID", "GPU-2"), ("device", "nvidia1"),
            ("exported_namespace", "ns1"), ("exported_pod", "gp2"), ("modelName", "Tesla T4")];
        f.Ramp("nvidia-gpu-utilization", 0.5, mig);
        f.Ramp("nvidia-gpu-utilization", 0.25, whole);
        f.Cost("nvidia-gpu-pod-uptime", 1, mig);
        f.Cost("nvidia-gpu-pod-uptime", 1, whole);
        f.Cost("nvidia-gpu-memory-capacity-mib-mig", 1, ("GPU_I_ID", "0"), ("Hostname", "node-a"), ("UUID", "GPU-1"),
            ("exported_namespace", "ns1"), ("exported_pod", "gp1"), ("label_nvidia_com_gpu_memory", "40960"),
            ("label_nvidia_com_mig_strategy", "single"));
        f.Cost("nvidia-gpu-memory-capacity-mib-non-mig", 1, ("label_nvidia_com_gpu_memory", "15360"), ("namespace", "ns1"),
            ("node", "node-a"), ("pod", "gp2"));
        f.Ramp("nvidia-gpu-max-slices", 7, [.. mig.Where(l => l.Item1 != "device")]);

        // ROS: ns1 opted in for all four windows; container c1 of p1 with CPU, memory and accelerator metrics.
        f.Ros("ros-namespace-filter", 1, ("label_cost_management_optimizations", "true"), ("namespace", "ns1"));
        f.Ros("container-image-owner", 1, ("container", "c1"), ("image", "quay.io/acme/web:1.2"), ("namespace", "ns1"),
            ("owner_kind", "ReplicaSet"), ("owner_name", "web-5d8c4c47bf"), ("pod", "p1"));
        f.Ros("container-image-workload", 1, ("container", "c1"), ("image", "quay.io/acme/web:1.2"), ("namespace", "ns1"),
            ("pod", "p1"), ("workload", "web"), ("workload_type", "deployment"));
        for (var i = 0; i < RosContainerMetricQueries.Length; i++)
        {
            var index = i;
            f.RosWindows(RosContainerMetricQueries[i], [.. Enumerable.Range(1, 4).Select(w => (w, ContainerValue(index, w)))],
                ("container", "c1"), ("namespace", "ns1"), ("node", "node-a"), ("pod", "p1"));
        }

        for (var i = 0; i < RosAcceleratorQueries.Length; i++)
        {
            var index = i;
            (string, string)[] labels = [("Hostname", "node-a"), ("exported_container", "c1"), ("exported_namespace", "ns1"),
                ("exported_pod", "p1"), ("modelName", "NVIDIA A100")];
            if (RosAcceleratorQueries[i].StartsWith("accelerator-frame-buffer", StringComparison.Ordinal))
            {
                labels = [.. labels, ("GPU_I_PROFILE", "1g.5gb")];
            }

            f.RosWindows(RosAcceleratorQueries[i], [.. Enumerable.Range(1, 4).Select(w => (w, AcceleratorValue(index, w)))], labels);
        }

        for (var i = 0; i < RosNamespaceQueries.Length; i++)
        {
            var index = i;
            f.RosWindows(RosNamespaceQueries[i].Query, [.. Enumerable.Range(1, 4).Select(w => (w, NamespaceValue(index, w)))],
                ("namespace", "ns1"));
        }

        return f;
    }
}
