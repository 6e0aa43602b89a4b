namespace ThanosBridge.TestSupport.Koku;

/// <summary>Report types as koku names them (koku-ingestion.md §2.1), plus the two ROS files (cmmo-output.md §3.3).</summary>
public enum KokuReportType
{
    Unknown,
    StorageUsage,
    PodUsage,
    NodeLabels,
    NamespaceLabels,
    VmUsage,
    GpuUsage,
    RosContainer,
    RosNamespace,
}

/// <summary>
/// The CSV schemas, written out independently of the production code so the validator checks it rather than
/// echoing it: CMMO's exact headers (cmmo-output.md §3.3; GPU without <c>gpu_pod_utilization</c>, Bridge decision a)
/// and koku's required column sets and detection order (koku-ingestion.md §2.1, §2.2).
/// </summary>
public static class KokuCsvSchemas
{
    private const string Common = "report_period_start,report_period_end,interval_start,interval_end,";

    public static IReadOnlyList<string> NodeHeader { get; } = Columns(Common + "node,node_labels");

    public static IReadOnlyList<string> NamespaceHeader { get; } = Columns(Common + "namespace,namespace_labels");

    public static IReadOnlyList<string> PodHeader { get; } = Columns(Common +
        "node,namespace,pod,pod_usage_cpu_core_seconds,pod_request_cpu_core_seconds,pod_limit_cpu_core_seconds," +
        "pod_usage_memory_byte_seconds,pod_request_memory_byte_seconds,pod_limit_memory_byte_seconds," +
        "node_capacity_cpu_cores,node_capacity_cpu_core_seconds,node_capacity_memory_bytes,node_capacity_memory_byte_seconds," +
        "node_role,resource_id,pod_labels");

    public static IReadOnlyList<string> StorageHeader { get; } = Columns(Common +
        "namespace,pod,node,persistentvolumeclaim,persistentvolume,storageclass,csi_driver,csi_volume_handle," +
        "persistentvolumeclaim_capacity_bytes,persistentvolumeclaim_capacity_byte_seconds,volume_request_storage_byte_seconds," +
        "persistentvolumeclaim_usage_byte_seconds,persistentvolume_labels,persistentvolumeclaim_labels");

    public static IReadOnlyList<string> VmHeader { get; } = Columns(Common +
        "node,resource_id,namespace,vm_name,vm_instance_type,vm_os,vm_guest_os_arch,vm_guest_os_name,vm_guest_os_version," +
        "vm_uptime_total_seconds,vm_cpu_limit_cores,vm_cpu_limit_core_seconds,vm_cpu_request_cores,vm_cpu_request_core_seconds," +
        "vm_cpu_request_sockets,vm_cpu_request_socket_seconds,vm_cpu_request_threads,vm_cpu_request_thread_seconds," +
        "vm_cpu_usage_total_seconds,vm_memory_limit_bytes,vm_memory_limit_byte_seconds,vm_memory_request_bytes," +
        "vm_memory_request_byte_seconds,vm_memory_usage_byte_seconds,vm_device,vm_volume_mode,vm_persistentvolumeclaim_name," +
        "vm_disk_allocated_size_byte_seconds,vm_labels");

    /// <summary>CMMO's GPU header without <c>gpu_pod_utilization</c>, which the on-prem koku table lacks.</summary>
    public static IReadOnlyList<string> GpuHeader { get; } = Columns(Common +
        "node,namespace,pod,gpu_uuid,gpu_model_name,gpu_vendor_name,gpu_memory_capacity_mib,gpu_pod_uptime," +
        "gpu_max_slices,mig_instance_id,mig_profile,mig_strategy");

    public static IReadOnlyList<string> RosContainerHeader { get; } = Columns(Common +
        "container_name,pod,owner_name,owner_kind,workload,workload_type,namespace,image_name,node,resource_id," +
        "cpu_request_container_avg,cpu_request_container_sum,cpu_limit_container_avg,cpu_limit_container_sum," +
        "cpu_usage_container_avg,cpu_usage_container_min,cpu_usage_container_max,cpu_usage_container_sum," +
        "cpu_throttle_container_avg,cpu_throttle_container_max,cpu_throttle_container_min,cpu_throttle_container_sum," +
        "memory_request_container_avg,memory_request_container_sum,memory_limit_container_avg,memory_limit_container_sum," +
        "memory_usage_container_avg,memory_usage_container_min,memory_usage_container_max,memory_usage_container_sum," +
        "memory_rss_usage_container_avg,memory_rss_usage_container_min,memory_rss_usage_container_max,memory_rss_usage_container_sum," +
        "accelerator_model_name,accelerator_profile_name," +
        "accelerator_core_usage_percentage_min,accelerator_core_usage_percentage_max,accelerator_core_usage_percentage_avg," +
        "accelerator_memory_copy_percentage_min,accelerator_memory_copy_percentage_max,accelerator_memory_copy_percentage_avg," +
        "accelerator_frame_buffer_usage_min,accelerator_frame_buffer_usage_max,accelerator_frame_buffer_usage_avg");

    public static IReadOnlyList<string> RosNamespaceHeader { get; } = Columns(Common +
        "namespace,cpu_request_namespace_sum,cpu_limit_namespace_sum,cpu_usage_namespace_avg,cpu_usage_namespace_max," +
        "cpu_usage_namespace_min,cpu_throttle_namespace_avg,cpu_throttle_namespace_max,cpu_throttle_namespace_min," +
        "memory_request_namespace_sum,memory_limit_namespace_sum,memory_usage_namespace_avg,memory_usage_namespace_max," +
        "memory_usage_namespace_min,memory_rss_usage_namespace_avg,memory_rss_usage_namespace_max,memory_rss_usage_namespace_min," +
        "namespace_running_pods_max,namespace_running_pods_avg,namespace_total_pods_max,namespace_total_pods_avg");

    /// <summary>The four datetime columns every file starts with.</summary>
    public static IReadOnlyList<string> DatetimeColumns { get; } = Columns(Common.TrimEnd(','));

    /// <summary>koku's detection order (<c>detect_type</c>): the first type whose required set is in the header wins.</summary>
    public static IReadOnlyList<(KokuReportType Type, IReadOnlySet<string> Required)> DetectionOrder { get; } =
    [
        (KokuReportType.StorageUsage, Except(StorageHeader, "node", "csi_driver", "csi_volume_handle")),
        (KokuReportType.PodUsage, Except(PodHeader, "node_role")),
        (KokuReportType.NodeLabels, Except(NodeHeader)),
        (KokuReportType.NamespaceLabels, Except(NamespaceHeader)),
        (KokuReportType.VmUsage, Except(VmHeader)),
        (KokuReportType.GpuUsage, Except(GpuHeader, "gpu_max_slices", "mig_instance_id", "mig_profile", "mig_strategy")),
    ];

    /// <summary>The header the bridge must write for a type (CMMO's column order).</summary>
    public static IReadOnlyList<string> HeaderOf(KokuReportType type) => type switch
    {
        KokuReportType.StorageUsage => StorageHeader,
        KokuReportType.PodUsage => PodHeader,
        KokuReportType.NodeLabels => NodeHeader,
        KokuReportType.NamespaceLabels => NamespaceHeader,
        KokuReportType.VmUsage => VmHeader,
        KokuReportType.GpuUsage => GpuHeader,
        KokuReportType.RosContainer => RosContainerHeader,
        KokuReportType.RosNamespace => RosNamespaceHeader,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>koku's <c>detect_type</c>: header names matched exactly, order irrelevant.</summary>
    public static KokuReportType Detect(IReadOnlyList<string> header)
    {
        var set = header.ToHashSet(StringComparer.Ordinal);
        foreach (var (type, required) in DetectionOrder)
        {
            if (required.IsSubsetOf(set))
            {
                return type;
            }
        }

        return KokuReportType.Unknown;
    }

    /// <summary>Columns koku converts with <c>safe_float</c> (koku-ingestion.md §2.3), or ROS metric columns.</summary>
    public static bool IsNumeric(KokuReportType type, string column) => type switch
    {
        KokuReportType.RosContainer => !DatetimeColumns.Contains(column) && column is not ("container_name" or "pod"
            or "owner_name" or "owner_kind" or "workload" or "workload_type" or "namespace" or "image_name" or "node"
            or "resource_id" or "accelerator_model_name" or "accelerator_profile_name"),
        KokuReportType.RosNamespace => !DatetimeColumns.Contains(column) && column is not "namespace",
        _ => column.EndsWith("_seconds", StringComparison.Ordinal)
            || column.EndsWith("_bytes", StringComparison.Ordinal)
            || column.EndsWith("_cores", StringComparison.Ordinal)
            || column.EndsWith("_sockets", StringComparison.Ordinal)
            || column.EndsWith("_threads", StringComparison.Ordinal)
            || column is "gpu_memory_capacity_mib" or "gpu_pod_uptime" or "gpu_max_slices",
    };

    public static bool IsLabels(string column) => column.EndsWith("_labels", StringComparison.Ordinal);

    /// <summary>On-prem varchar sizes (koku-ingestion.md §2.6); longer values make the raw INSERT fail.</summary>
    public static int? MaxLength(string column) => column switch
    {
        "node" or "namespace" or "pod" or "persistentvolumeclaim" or "persistentvolume" or "storageclass" or "vm_name"
            or "vm_persistentvolumeclaim_name" => 253,
        "resource_id" or "csi_driver" or "csi_volume_handle" => 256,
        "node_role" or "vm_guest_os_arch" or "vm_volume_mode" or "mig_profile" => 64,
        "mig_strategy" => 10,
        _ when column.StartsWith("gpu_", StringComparison.Ordinal) => 256,
        _ => null,
    };

    /// <summary>Columns koku HTML-escapes before storing (koku-ingestion.md §2.5): the limit applies to the escaped text.</summary>
    public static bool IsSanitised(string column) => column is "namespace" or "pod" or "node" or "persistentvolumeclaim"
        or "persistentvolume" or "storageclass" or "resource_id" or "vm_name" or "gpu_uuid" or "gpu_model_name"
        or "gpu_vendor_name" or "csi_driver" or "csi_volume_handle" or "node_role" or "vm_instance_type" or "vm_os"
        or "vm_device";

    private static string[] Columns(string header) => header.Split(',');

    private static HashSet<string> Except(IReadOnlyList<string> header, params string[] optional) =>
        header.Except(optional, StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
}
