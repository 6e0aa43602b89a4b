namespace ThanosBridge.Core.Reports;

/// <summary>
/// The exact CSV header of each report (cmmo-output.md §3.3). The NVIDIA GPU header omits
/// <c>gpu_pod_utilization</c> because the deployed koku cannot store it (Bridge decision a).
/// </summary>
public static class ReportHeaders
{
    public static IReadOnlyList<string> Common { get; } = ["report_period_start", "report_period_end", "interval_start", "interval_end"];

    public static IReadOnlyList<string> Node { get; } = [.. Common, "node", "node_labels"];

    public static IReadOnlyList<string> Pod { get; } =
    [
        .. Common, "node", "namespace", "pod", "pod_usage_cpu_core_seconds", "pod_request_cpu_core_seconds",
        "pod_limit_cpu_core_seconds", "pod_usage_memory_byte_seconds", "pod_request_memory_byte_seconds",
        "pod_limit_memory_byte_seconds", "node_capacity_cpu_cores", "node_capacity_cpu_core_seconds",
        "node_capacity_memory_bytes", "node_capacity_memory_byte_seconds", "node_role", "resource_id", "pod_labels",
    ];

    public static IReadOnlyList<string> Storage { get; } =
    [
        .. Common, "namespace", "pod", "node", "persistentvolumeclaim", "persistentvolume", "storageclass", "csi_driver",
        "csi_volume_handle", "persistentvolumeclaim_capacity_bytes", "persistentvolumeclaim_capacity_byte_seconds",
        "volume_request_storage_byte_seconds", "persistentvolumeclaim_usage_byte_seconds", "persistentvolume_labels",
        "persistentvolumeclaim_labels",
    ];

    public static IReadOnlyList<string> VirtualMachine { get; } =
    [
        .. Common, "node", "resource_id", "namespace", "vm_name", "vm_instance_type", "vm_os", "vm_guest_os_arch",
        "vm_guest_os_name", "vm_guest_os_version", "vm_uptime_total_seconds", "vm_cpu_limit_cores", "vm_cpu_limit_core_seconds",
        "vm_cpu_request_cores", "vm_cpu_request_core_seconds", "vm_cpu_request_sockets", "vm_cpu_request_socket_seconds",
        "vm_cpu_request_threads", "vm_cpu_request_thread_seconds", "vm_cpu_usage_total_seconds", "vm_memory_limit_bytes",
        "vm_memory_limit_byte_seconds", "vm_memory_request_bytes", "vm_memory_request_byte_seconds",
        "vm_memory_usage_byte_seconds", "vm_device", "vm_volume_mode", "vm_persistentvolumeclaim_name",
        "vm_disk_allocated_size_byte_seconds", "vm_labels",
    ];

    public static IReadOnlyList<string> Namespace { get; } = [.. Common, "namespace", "namespace_labels"];

    public static IReadOnlyList<string> NvidiaGpu { get; } =
    [
        .. Common, "node", "namespace", "pod", "gpu_uuid", "gpu_model_name", "gpu_vendor_name", "gpu_memory_capacity_mib",
        "gpu_pod_uptime", "gpu_max_slices", "mig_instance_id", "mig_profile", "mig_strategy",
    ];

    /// <summary>The 24 CPU/memory metric columns of the ROS container CSV, in header order.</summary>
    public static IReadOnlyList<string> RosContainerMetrics { get; } =
    [
        "cpu_request_container_avg", "cpu_request_container_sum", "cpu_limit_container_avg", "cpu_limit_container_sum",
        "cpu_usage_container_avg", "cpu_usage_container_min", "cpu_usage_container_max", "cpu_usage_container_sum",
        "cpu_throttle_container_avg", "cpu_throttle_container_max", "cpu_throttle_container_min", "cpu_throttle_container_sum",
        "memory_request_container_avg", "memory_request_container_sum", "memory_limit_container_avg", "memory_limit_container_sum",
        "memory_usage_container_avg", "memory_usage_container_min", "memory_usage_container_max", "memory_usage_container_sum",
        "memory_rss_usage_container_avg", "memory_rss_usage_container_min", "memory_rss_usage_container_max",
        "memory_rss_usage_container_sum",
    ];

    /// <summary>The 9 accelerator metric columns of the ROS container CSV, in header order.</summary>
    public static IReadOnlyList<string> RosAcceleratorMetrics { get; } =
    [
        "accelerator_core_usage_percentage_min", "accelerator_core_usage_percentage_max", "accelerator_core_usage_percentage_avg",
        "accelerator_memory_copy_percentage_min", "accelerator_memory_copy_percentage_max", "accelerator_memory_copy_percentage_avg",
        "accelerator_frame_buffer_usage_min", "accelerator_frame_buffer_usage_max", "accelerator_frame_buffer_usage_avg",
    ];

    public static IReadOnlyList<string> RosContainer { get; } =
    [
        .. Common, "container_name", "pod", "owner_name", "owner_kind", "workload", "workload_type", "namespace", "image_name",
        "node", "resource_id", .. RosContainerMetrics, "accelerator_model_name", "accelerator_profile_name", .. RosAcceleratorMetrics,
    ];

    /// <summary>The 20 metric columns of the ROS namespace CSV, in header order.</summary>
    public static IReadOnlyList<string> RosNamespaceMetrics { get; } =
    [
        "cpu_request_namespace_sum", "cpu_limit_namespace_sum", "cpu_usage_namespace_avg", "cpu_usage_namespace_max",
        "cpu_usage_namespace_min", "cpu_throttle_namespace_avg", "cpu_throttle_namespace_max", "cpu_throttle_namespace_min",
        "memory_request_namespace_sum", "memory_limit_namespace_sum", "memory_usage_namespace_avg", "memory_usage_namespace_max",
        "memory_usage_namespace_min", "memory_rss_usage_namespace_avg", "memory_rss_usage_namespace_max",
        "memory_rss_usage_namespace_min", "namespace_running_pods_max", "namespace_running_pods_avg", "namespace_total_pods_max",
        "namespace_total_pods_avg",
    ];

    public static IReadOnlyList<string> RosNamespace { get; } = [.. Common, "namespace", .. RosNamespaceMetrics];

    public static IReadOnlyList<string> For(ReportKind kind) => kind switch
    {
        ReportKind.Node => Node,
        ReportKind.Pod => Pod,
        ReportKind.Storage => Storage,
        ReportKind.VirtualMachine => VirtualMachine,
        ReportKind.Namespace => Namespace,
        ReportKind.NvidiaGpu => NvidiaGpu,
        ReportKind.RosContainer => RosContainer,
        ReportKind.RosNamespace => RosNamespace,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
