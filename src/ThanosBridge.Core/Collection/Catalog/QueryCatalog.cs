// Over 300 lines on purpose: the 92 CMMO queries as data, in CMMO's order, in one place to check against
// ../shared/contract/cmmo-output.md line by line.
namespace ThanosBridge.Core.Collection.Catalog;

/// <summary>
/// Every CMMO query by its CMMO name (cmmo-output.md §2), with the bridge's deliberate deviations ("Bridge
/// decisions"): <c>[5m]</c> windows become <c>[15m]</c> because MCO forwards samples every 5 minutes, and the cluster
/// matcher is injected later by <c>ClusterLabelInjector</c>, never written here.
/// </summary>
public static class QueryCatalog
{
    private const string Running = "kube_pod_status_phase{phase='Running'}";
    private const string PodRunningJoin = "* on(pod, namespace) group_left max by (pod, namespace) (" + Running + ")";
    private const string VmRunningJoin =
        "* on (name, namespace) group_left max by (name, namespace) (kubevirt_vmi_info{phase='running'})";
    private const string NodeProviderJoin = "* on(node) group_left(provider_id) max by (node, provider_id) (kube_node_info)";
    private const string NotPlatform = "namespace!~'kube-.*|openshift|openshift-.*'";
    private const string NsfA = "kube_namespace_labels{label_insights_cost_management_optimizations='true', " + NotPlatform + "}";
    private const string NsfB = "kube_namespace_labels{label_cost_management_optimizations='true', " + NotPlatform + "}";
    private const string PvcVolumeJoin =
        "* on(persistentvolumeclaim, namespace) group_left(volumename) max by(namespace, persistentvolumeclaim, volumename) " +
        "(kube_persistentvolumeclaim_info{volumename != ''})";
    private const string ContainerFilter = "container!='', container!='POD', pod!=''";
    private const string LabelPattern = "label_*";

    private static readonly string[] NodeKey = ["node"];
    private static readonly string[] PodKey = ["pod", "namespace"];
    private static readonly string[] VolumeKey = ["volumename"];
    private static readonly string[] PvKey = ["persistentvolume"];
    private static readonly string[] NamespaceKey = ["namespace"];
    private static readonly string[] VmKey = ["name", "namespace"];
    private static readonly string[] GpuKey = ["exported_pod", "exported_namespace", "Hostname", "UUID", "GPU_I_ID"];
    private static readonly string[] GpuPodKey = ["pod", "namespace", "node"];
    private static readonly string[] ContainerKey = ["container", "pod", "namespace"];
    private static readonly string[] AcceleratorKey = ["exported_container", "exported_pod", "exported_namespace"];

    /// <summary>All 92 queries: 36 cost range queries, the ROS gate, 35 ROS container and 20 ROS namespace queries.</summary>
    public static IReadOnlyList<QueryDefinition> All { get; } = [.. Build()];

    /// <summary>The queries of one set, in catalog order (the order in which they write into the set's row map).</summary>
    public static IReadOnlyList<QueryDefinition> Of(QuerySet set) => [.. All.Where(q => q.Set == set)];

    public static QueryDefinition Get(string name) =>
        All.FirstOrDefault(q => q.Name == name) ?? throw new KeyNotFoundException($"no catalog query named {name}");

    private static IEnumerable<QueryDefinition> Build()
    {
        foreach (var q in NodeQueries()) { yield return q; }
        foreach (var q in PodQueries()) { yield return q; }
        foreach (var q in StorageQueries()) { yield return q; }
        yield return Query("namespace-labels", QuerySet.Namespace, "kube_namespace_labels", NamespaceKey,
            Fields(("namespace", "namespace")), Regex("namespace_labels", LabelPattern));
        foreach (var q in VmQueries()) { yield return q; }
        foreach (var q in GpuQueries()) { yield return q; }
        yield return Query("ros-namespace-filter", QuerySet.RosGate, NsfA + " or " + NsfB, NamespaceKey, Fields(("namespace", "namespace")));
        foreach (var q in RosContainerQueries()) { yield return q; }
        foreach (var q in RosNamespaceQueries()) { yield return q; }
    }

    private static IEnumerable<QueryDefinition> NodeQueries()
    {
        var fields = Fields(("node", "node"), ("provider_id", "provider_id"));
        foreach (var (kind, metric) in new[] { ("allocatable", "kube_node_status_allocatable"), ("capacity", "kube_node_status_capacity") })
        {
            // CMMO's expression ends with a space; kept so the text stays comparable with queries.go.
            yield return Query($"node-{kind}-cpu-cores", QuerySet.Node,
                $"{metric}{{resource='cpu'}} {NodeProviderJoin} ", NodeKey, fields, [],
                new ValueSpec(ValueMethod.Max, $"node-{kind}-cpu-cores", $"node-{kind}-cpu-core-seconds"));
            yield return Query($"node-{kind}-memory-bytes", QuerySet.Node,
                $"{metric}{{resource='memory'}} {NodeProviderJoin} ", NodeKey, fields, [],
                new ValueSpec(ValueMethod.Max, $"node-{kind}-memory-bytes", $"node-{kind}-memory-byte-seconds"));
        }

        yield return Query("node-role", QuerySet.Node, "kube_node_role", NodeKey, Fields(("node", "node"), ("node-role", "role")));
        yield return Query("node-labels", QuerySet.Node, "kube_node_labels", NodeKey, Fields(("node", "node")), Regex("node_labels", LabelPattern));
    }

    private static IEnumerable<QueryDefinition> PodQueries()
    {
        var fields = Fields(("pod", "pod"), ("namespace", "namespace"), ("node", "node"));
        foreach (var (kind, metric) in new[] { ("limit", "kube_pod_container_resource_limits"), ("request", "kube_pod_container_resource_requests") })
        {
            foreach (var (resource, unit) in new[] { ("cpu", "cpu-core"), ("memory", "memory-byte") })
            {
                var name = $"pod-{kind}-{resource}-{(resource == "cpu" ? "cores" : "bytes")}";
                yield return Query(name, QuerySet.Pod,
                    $"sum by (pod, namespace, node) ({metric}{{pod!='', namespace!='', node!='', resource='{resource}'}} {PodRunningJoin})",
                    PodKey, fields, [], new ValueSpec(ValueMethod.Sum, name, $"pod-{kind}-{unit}-seconds"));
            }
        }

        const string CpuCounter = "container_cpu_usage_seconds_total{container!='', container!='POD', pod!='', namespace!='', node!=''}";
        yield return Query("pod-usage-cpu-cores", QuerySet.Pod, $"sum by (pod, namespace, node) (rate({CpuCounter}[15m]))",
            PodKey, fields, [], new ValueSpec(ValueMethod.Sum, "pod-usage-cpu-cores", "pod-usage-cpu-core-seconds")) with
        {
            Counter = new CounterForm(CpuCounter, ["pod", "namespace", "node"]),
        };
        yield return Query("pod-usage-memory-bytes", QuerySet.Pod,
            "sum by (pod, namespace, node) (container_memory_usage_bytes{container!='', container!='POD', pod!='', namespace!='', node!=''})",
            PodKey, fields, [], new ValueSpec(ValueMethod.Sum, "pod-usage-memory-bytes", "pod-usage-memory-byte-seconds"));
        yield return Query("pod-labels", QuerySet.Pod, $"kube_pod_labels{{namespace!='',pod!=''}} {PodRunningJoin}",
            PodKey, Fields(("pod", "pod"), ("namespace", "namespace")), Regex("pod_labels", LabelPattern));
    }

    private static IEnumerable<QueryDefinition> StorageQueries()
    {
        yield return Query("persistentvolume-pod-info", QuerySet.Storage,
            $"kube_pod_spec_volumes_persistentvolumeclaims_info {PvcVolumeJoin}", VolumeKey,
            Fields(("namespace", "namespace"), ("pod", "pod")));
        yield return Query("persistentvolumeclaim-capacity-bytes", QuerySet.Storage,
            "kube_persistentvolume_capacity_bytes{persistentvolume != ''}", PvKey, [], [],
            new ValueSpec(ValueMethod.Max, "persistentvolumeclaim-capacity-bytes", "persistentvolumeclaim-capacity-byte-seconds"));
        yield return Query("persistentvolumeclaim-request-bytes", QuerySet.Storage,
            $"kube_persistentvolumeclaim_resource_requests_storage_bytes {PvcVolumeJoin}", VolumeKey, [], [],
            new ValueSpec(ValueMethod.Max, "persistentvolumeclaim-request-bytes", "persistentvolumeclaim-request-byte-seconds"));
        yield return Query("persistentvolumeclaim-usage-bytes", QuerySet.Storage,
            $"kubelet_volume_stats_used_bytes {PvcVolumeJoin}", VolumeKey, Fields(("node", "node")), [],
            new ValueSpec(ValueMethod.Sum, "persistentvolumeclaim-usage-bytes", "persistentvolumeclaim-usage-byte-seconds"));
        yield return Query("persistentvolume-labels", QuerySet.Storage,
            "kube_persistentvolume_labels * on(persistentvolume, namespace) group_left(storageclass, csi_driver, csi_volume_handle) " +
            "max by(namespace, persistentvolume, storageclass, csi_driver, csi_volume_handle) (kube_persistentvolume_info)",
            PvKey,
            Fields(("storageclass", "storageclass"), ("persistentvolume", "persistentvolume"), ("csi_driver", "csi_driver"),
                ("csi_volume_handle", "csi_volume_handle")),
            Regex("persistentvolume_labels", LabelPattern));
        yield return Query("persistentvolumeclaim-labels", QuerySet.Storage,
            $"kube_persistentvolumeclaim_labels {PvcVolumeJoin}", VolumeKey,
            Fields(("namespace", "namespace"), ("persistentvolumeclaim", "persistentvolumeclaim")),
            Regex("persistentvolumeclaim_labels", "label_"));
    }

    private static IEnumerable<QueryDefinition> VmQueries()
    {
        var fields = Fields(("name", "name"), ("namespace", "namespace"));
        QueryDefinition Resource(string name, string metric, string matchers, string secondsField) =>
            Query(name, QuerySet.VirtualMachine,
                $"sum by (name, namespace) ({metric}{{name!='', namespace!='', {matchers}}}) {VmRunningJoin}",
                VmKey, fields, [], new ValueSpec(ValueMethod.Max, name, secondsField));

        yield return Resource("vm_cpu_limit_cores", "kubevirt_vm_resource_limits", "resource='cpu'", "vm_cpu_limit_core_seconds");
        yield return Resource("vm_cpu_request_cores", "kubevirt_vm_resource_requests", "resource='cpu', unit='cores'", "vm_cpu_request_core_seconds");
        yield return Resource("vm_cpu_request_sockets", "kubevirt_vm_resource_requests", "resource='cpu', unit='sockets'", "vm_cpu_request_socket_seconds");
        yield return Resource("vm_cpu_request_threads", "kubevirt_vm_resource_requests", "resource='cpu', unit='threads'", "vm_cpu_request_thread_seconds");
        const string VmCpuCounter = "kubevirt_vmi_cpu_usage_seconds_total{name!='', namespace!=''}";
        yield return Query("vm_cpu_usage", QuerySet.VirtualMachine,
            $"sum by (name, namespace) (rate({VmCpuCounter}[15m])) {VmRunningJoin}",
            VmKey, fields, [], new ValueSpec(ValueMethod.Sum, "vm_cpu_usage", "vm_cpu_usage_total_seconds")) with
        {
            Counter = new CounterForm($"{VmCpuCounter} {VmRunningJoin}", ["name", "namespace"]),
        };
        yield return Resource("vm_memory_limit_bytes", "kubevirt_vm_resource_limits", "resource='memory'", "vm_memory_limit_byte_seconds");
        yield return Resource("vm_memory_request_bytes", "kubevirt_vm_resource_requests", "resource='memory'", "vm_memory_request_byte_seconds");
        yield return Query("vm_memory_usage", QuerySet.VirtualMachine,
            $"sum by (name, namespace) (sum_over_time(kubevirt_vmi_memory_used_bytes{{name!='', namespace!=''}}[15m])) {VmRunningJoin}",
            VmKey, fields, [], new ValueSpec(ValueMethod.Sum, "vm_memory_usage_bytes", "vm_memory_usage_byte_seconds"));
        yield return Query("vm_info", QuerySet.VirtualMachine,
            "sum by (name, namespace, node, os, instance_type, guest_os_name, guest_os_version_id, guest_os_arch) " +
            $"(kubevirt_vmi_info{{phase='running'}}) {NodeProviderJoin}",
            VmKey,
            Fields(("node", "node"), ("provider_id", "provider_id"), ("name", "name"), ("namespace", "namespace"),
                ("instance_type", "instance_type"), ("os", "os"), ("guest_os_arch", "guest_os_arch"),
                ("guest_os_name", "guest_os_name"), ("guest_os_version_id", "guest_os_version_id")),
            [], new ValueSpec(ValueMethod.Sum, null, "vm_uptime_total_seconds"));
        yield return Query("vm_disk_allocated_size", QuerySet.VirtualMachine,
            "sum by (name, namespace, device, persistentvolumeclaim, volume_mode) " +
            $"(kubevirt_vm_disk_allocated_size_bytes{{name!='', namespace!=''}}) {VmRunningJoin}",
            VmKey,
            Fields(("name", "name"), ("namespace", "namespace"), ("device", "device"), ("volume_mode", "volume_mode"),
                ("persistentvolumeclaim_name", "persistentvolumeclaim")),
            [], new ValueSpec(ValueMethod.Max, "vm_disk_allocated_size_bytes", "vm_disk_allocated_size_byte_seconds"));
        yield return Query("vm_labels", QuerySet.VirtualMachine, "kubevirt_vm_labels{name!='', namespace!=''}", VmKey, fields,
            Regex("vm_labels", LabelPattern));
    }

    /// <summary>
    /// DCGM series carry the workload in exported_pod/exported_namespace; series without exported_namespace are
    /// joined by pod/namespace and relabelled to exported_*. Both branches keep only Running pods (×1) or zero them.
    /// </summary>
    private static string GpuRunningJoin(string metric, string matchers) =>
        $"({metric}{{{matchers}, exported_namespace!=''}} * on(exported_pod, exported_namespace) group_left " +
        "max by (exported_pod, exported_namespace) (label_replace(label_replace(" + Running +
        ", 'exported_pod', '$1', 'pod', '(.*)'), 'exported_namespace', '$1', 'namespace', '(.*)'))) or " +
        $"label_replace(label_replace({metric}{{{matchers}, exported_namespace=''}} {PodRunningJoin}, " +
        "'exported_pod', '$1', 'pod', '(.*)'), 'exported_namespace', '$1', 'namespace', '(.*)')";

    private static IEnumerable<QueryDefinition> GpuQueries()
    {
        yield return Query("nvidia-gpu-memory-capacity-mib-mig", QuerySet.GpuMigCapacity,
            "max by (exported_pod, exported_namespace, Hostname, UUID, GPU_I_ID, label_nvidia_com_gpu_memory, label_nvidia_com_mig_strategy) ((" +
            GpuRunningJoin("DCGM_FI_PROF_GR_ENGINE_ACTIVE", "UUID!='', GPU_I_ID!=''") +
            ") * on(Hostname) group_left(label_nvidia_com_gpu_memory, label_nvidia_com_mig_strategy) " +
            "max by (Hostname, label_nvidia_com_gpu_memory, label_nvidia_com_mig_strategy) " +
            "(label_replace(kube_node_labels{label_nvidia_com_gpu_memory!=''}, 'Hostname', '$1', 'node', '(.*)')))",
            GpuKey,
            Fields(("pod", "exported_pod"), ("namespace", "exported_namespace"), ("node", "Hostname"),
                ("gpu_memory_capacity_mib", "label_nvidia_com_gpu_memory"), ("mig_strategy", "label_nvidia_com_mig_strategy")));
        yield return Query("nvidia-gpu-memory-capacity-mib-non-mig", QuerySet.GpuNonMigCapacity,
            "sum by (pod, namespace, node, label_nvidia_com_gpu_memory) ((kube_pod_container_resource_requests{pod!='', namespace!='', " +
            $"node!='', resource='nvidia_com_gpu'}} {PodRunningJoin}) * on(node) group_left(label_nvidia_com_gpu_memory) " +
            "(max by (node, label_nvidia_com_gpu_memory) (kube_node_labels)))",
            GpuPodKey,
            Fields(("pod", "pod"), ("namespace", "namespace"), ("node", "node"), ("gpu_memory_capacity_mib", "label_nvidia_com_gpu_memory")));

        var utilizationFields = Fields(("node", "Hostname"), ("namespace", "exported_namespace"), ("pod", "exported_pod"),
            ("gpu_uuid", "UUID"), ("model_name", "modelName"), ("mig_instance_id", "GPU_I_ID"), ("mig_profile", "GPU_I_PROFILE"),
            ("vendor_name", "device"));
        const string UtilizationBy = "sum by (exported_pod, exported_namespace, Hostname, UUID, modelName, GPU_I_ID, GPU_I_PROFILE, device) ";
        yield return Query("nvidia-gpu-utilization", QuerySet.GpuUtilization,
            UtilizationBy + "(" + GpuRunningJoin("DCGM_FI_PROF_GR_ENGINE_ACTIVE", "UUID!=''") + ")",
            GpuKey, utilizationFields, [], new ValueSpec(ValueMethod.Sum, "nvidia-gpu-pod-utilization", null));
        yield return Query("nvidia-gpu-pod-uptime", QuerySet.GpuUtilization,
            UtilizationBy + "(clamp_max((" + GpuRunningJoin("DCGM_FI_PROF_GR_ENGINE_ACTIVE", "UUID!=''") + ") + 1, 1))",
            GpuKey, utilizationFields, [], new ValueSpec(ValueMethod.Sum, null, "nvidia-gpu-pod-uptime-seconds"));
        yield return Query("nvidia-gpu-max-slices", QuerySet.GpuMaxSlices,
            "sum by (exported_pod, exported_namespace, Hostname, UUID, modelName, GPU_I_ID, GPU_I_PROFILE) (" +
            GpuRunningJoin("DCGM_FI_DEV_MIG_MAX_SLICES", "UUID!=''") + ")",
            GpuKey, Fields(("node", "Hostname"), ("namespace", "exported_namespace"), ("pod", "exported_pod")), [],
            new ValueSpec(ValueMethod.Max, "nvidia-gpu-max-slices", null));
    }

    private static string OptedIn(Func<string, string> branch) => $"({branch(NsfA)}) or ({branch(NsfB)})";

    private static IEnumerable<QueryDefinition> RosContainerQueries()
    {
        var head = OptedIn(nsf => $"max_over_time(kube_pod_container_info{{container!='', container!='POD'}}[15m]) * on(namespace) group_left {nsf}");
        yield return GateNamespaces(Query("container-image-owner", QuerySet.RosContainer,
            $"({head}) * on(pod, namespace) group_left(owner_kind, owner_name) max by(pod, namespace, owner_kind, owner_name) " +
            $"(max_over_time(kube_pod_owner{{{ContainerFilter}}}[15m]))",
            ContainerKey,
            Fields(("image_name", "image"), ("owner_name", "owner_name"), ("owner_kind", "owner_kind"), ("container_name", "container"),
                ("pod", "pod"), ("namespace", "namespace"))));
        yield return GateNamespaces(Query("container-image-workload", QuerySet.RosContainer,
            $"({head}) * on(pod, namespace) group_left(workload, workload_type) max by(pod, namespace, workload, workload_type) " +
            "(max_over_time(namespace_workload_pod:kube_pod_owner:relabel{pod!='', workload_type!~'(?i)deploymentconfig'}[15m]))",
            ContainerKey,
            Fields(("image_name", "image"), ("workload", "workload"), ("workload_type", "workload_type"), ("container_name", "container"),
                ("pod", "pod"), ("namespace", "namespace"))));

        var containerFields = Fields(("container_name", "container"), ("pod", "pod"), ("namespace", "namespace"), ("node", "node"));
        foreach (var (resource, unit) in new[] { ("cpu", "core"), ("memory", "byte") })
        {
            foreach (var (kind, metric) in new[] { ("request", "kube_pod_container_resource_requests"), ("limit", "kube_pod_container_resource_limits") })
            {
                foreach (var agg in new[] { "avg", "sum" })
                {
                    yield return GateNamespaces(Ros($"{resource}-{kind}-container-{agg}", QuerySet.RosContainer,
                        "(" + OptedIn(nsf => $"{agg} by(container, pod, namespace, node) ({metric}{{{ContainerFilter}, resource='{resource}', " +
                            $"unit='{unit}'}} * on(namespace) group_left {nsf})") +
                        ") * on(pod, namespace) group_left max by (container, pod, namespace) (" + Running + ")",
                        ContainerKey, containerFields));
                }
            }

            if (resource == "cpu")
            {
                foreach (var q in Usage("cpu-usage", "node_namespace_pod_container:container_cpu_usage_seconds_total:sum_irate", containerFields)) { yield return q; }
                foreach (var agg in new[] { "avg", "max", "min", "sum" })
                {
                    yield return GateNamespaces(Ros($"cpu-throttle-container-{agg}", QuerySet.RosContainer,
                        OptedIn(nsf => $"{agg} by(container, pod, namespace, node) (rate(container_cpu_cfs_throttled_seconds_total" +
                            $"{{{ContainerFilter}}}[15m]) * on(namespace) group_left {nsf})"),
                        ContainerKey, containerFields));
                }
            }
            else
            {
                foreach (var q in Usage("memory-usage", "container_memory_working_set_bytes", containerFields)) { yield return q; }
                foreach (var q in Usage("memory-rss-usage", "container_memory_rss", containerFields)) { yield return q; }
            }
        }

        foreach (var (name, metric) in new[]
        {
            ("core-usage-percentage", "DCGM_FI_DEV_GPU_UTIL"),
            ("memory-copy-percentage", "DCGM_FI_DEV_MEM_COPY_UTIL"),
            ("frame-buffer-usage", "DCGM_FI_DEV_FB_USED"),
        })
        {
            var withProfile = name == "frame-buffer-usage";
            var fields = withProfile
                ? Fields(("accelerator_model_name", "modelName"), ("accelerator_profile_name", "GPU_I_PROFILE"), ("container", "exported_container"),
                    ("namespace", "exported_namespace"), ("pod", "exported_pod"), ("node", "Hostname"))
                : Fields(("accelerator_model_name", "modelName"), ("container", "exported_container"), ("namespace", "exported_namespace"),
                    ("pod", "exported_pod"), ("node", "Hostname"));
            foreach (var agg in new[] { "min", "max", "avg" })
            {
                yield return Ros($"accelerator-{name}-{agg}", QuerySet.RosContainer, Accelerator(metric, agg, withProfile), AcceleratorKey, fields);
            }
        }
    }

    private static IEnumerable<QueryDefinition> Usage(string prefix, string metric, IReadOnlyList<LabelField> fields)
    {
        // "sum" sums the per-series averages: sum by(...) (avg_over_time(...)), as CMMO does.
        foreach (var (agg, overTime) in new[] { ("avg", "avg_over_time"), ("min", "min_over_time"), ("max", "max_over_time"), ("sum", "avg_over_time") })
        {
            yield return GateNamespaces(Ros($"{prefix}-container-{agg}", QuerySet.RosContainer,
                OptedIn(nsf => $"{agg} by(container, pod, namespace, node) ({overTime}({metric}{{{ContainerFilter}}}[15m]) * on(namespace) group_left {nsf})"),
                ContainerKey, fields));
        }
    }

    /// <summary>Accelerator ROS queries: no kube-/openshift exclusion, unlike every other ROS query (gotcha 19).</summary>
    private static string Accelerator(string metric, string agg, bool withProfile)
    {
        var profile = withProfile ? "GPU_I_PROFILE, " : "";
        var branches = new List<string>();
        foreach (var label in new[] { "label_insights_cost_management_optimizations", "label_cost_management_optimizations" })
        {
            branches.Add($"{agg} by (modelName, {profile}exported_container, exported_namespace, exported_pod, Hostname) " +
                $"({agg}_over_time({metric}{{exported_namespace != '', exported_container != '', exported_pod != ''}}[15m])) " +
                $"* on(exported_namespace) group_left(namespace) label_replace(kube_namespace_labels{{{label}='true'}}, " +
                "'exported_namespace', '$1', 'namespace', '(.*)')");
        }

        foreach (var label in new[] { "label_insights_cost_management_optimizations", "label_cost_management_optimizations" })
        {
            branches.Add("label_replace(label_replace(label_replace(" +
                $"{agg} by (modelName, {profile}container, namespace, pod, Hostname) " +
                $"({agg}_over_time({metric}{{exported_namespace='', container!='', pod!=''}}[15m])) " +
                $"* on(namespace) group_left() kube_namespace_labels{{{label}='true'}}, " +
                "'exported_container', '$1', 'container', '(.*)'), 'exported_namespace', '$1', 'namespace', '(.*)'), " +
                "'exported_pod', '$1', 'pod', '(.*)')");
        }

        return string.Join(" or ", branches.Select(b => "(" + b + ")"));
    }

    private static IEnumerable<QueryDefinition> RosNamespaceQueries()
    {
        var fields = Fields(("namespace", "namespace"));
        QueryDefinition Namespace(string name, string x) =>
            GateNamespaces(Ros(name, QuerySet.RosNamespace, $"({x} * on(namespace) group_left {NsfA} or {x} * on(namespace) group_left {NsfB})",
                NamespaceKey, fields));

        foreach (var (resource, quota) in new[]
        {
            ("cpu-request", "requests.cpu"), ("cpu-limit", "limits.cpu"), ("memory-request", "requests.memory"), ("memory-limit", "limits.memory"),
        })
        {
            yield return Namespace($"{resource}-namespace-sum", $"sum by (namespace) (kube_resourcequota{{resource='{quota}', type='hard'}})");
        }

        foreach (var (prefix, inner) in new[]
        {
            ("cpu-usage", $"node_namespace_pod_container:container_cpu_usage_seconds_total:sum_irate{{{ContainerFilter}}}"),
            ("cpu-throttle", $"rate(container_cpu_cfs_throttled_seconds_total{{{ContainerFilter}}}[15m])"),
            ("memory-usage", $"container_memory_working_set_bytes{{{ContainerFilter}}}"),
            ("memory-rss-usage", $"container_memory_rss{{{ContainerFilter}}}"),
        })
        {
            foreach (var agg in new[] { "avg", "max", "min" })
            {
                yield return Namespace($"{prefix}-namespace-{agg}", $"{agg}_over_time(sum by(namespace) ({inner})[15m:])");
            }
        }

        foreach (var (name, metric) in new[] { ("pods-running", Running), ("pods-total", "kube_pod_info") })
        {
            foreach (var agg in new[] { "max", "avg" })
            {
                yield return Namespace($"{name}-namespace-{agg}", $"{agg}_over_time(sum by(namespace) ({metric})[15m:])");
            }
        }
    }

    private static QueryDefinition Query(
        string name, QuerySet set, string expression, IReadOnlyList<string> rowKey, IReadOnlyList<LabelField> fields,
        IReadOnlyList<LabelRegexField>? regex = null, ValueSpec? value = null) =>
        new(name, set, expression, rowKey, fields, regex ?? [], value);

    /// <summary>A ROS metric query: its value field is the query name (the CSV column is the name with '-' as '_').</summary>
    private static QueryDefinition Ros(string name, QuerySet set, string expression, IReadOnlyList<string> rowKey, IReadOnlyList<LabelField> fields) =>
        new(name, set, expression, rowKey, fields, [], new ValueSpec(ValueMethod.Instant, name, null));

    /// <summary>
    /// Marks a ROS query that is joined with the gate's filter <c>on(namespace)</c> after aggregations that all keep
    /// <c>namespace</c> (not the accelerator queries: they join on <c>exported_namespace</c>).
    /// </summary>
    private static QueryDefinition GateNamespaces(QueryDefinition query) => query with { OnlyGateNamespaces = true };

    private static LabelField[] Fields(params (string Field, string Label)[] pairs) => [.. pairs.Select(p => new LabelField(p.Field, p.Label))];

    private static LabelRegexField[] Regex(string field, string pattern) => [new(field, pattern)];
}
