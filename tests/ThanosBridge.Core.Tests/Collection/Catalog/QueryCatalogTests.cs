using System.Text.RegularExpressions;
using ThanosBridge.Core.Collection.Catalog;

namespace ThanosBridge.Core.Tests.Collection.Catalog;

/// <summary>
/// The query catalog against cmmo-output.md §2 and the Bridge decisions: 92 queries by CMMO name, per-set counts,
/// row keys, label fields, value specs, no <c>[5m]</c> windows (decision f) and no cluster matcher (decision e).
/// </summary>
public class QueryCatalogTests
{
    private static readonly string[] NodeNames =
    [
        "node-allocatable-cpu-cores", "node-allocatable-memory-bytes", "node-capacity-cpu-cores", "node-capacity-memory-bytes",
        "node-role", "node-labels",
    ];

    private static readonly string[] PodNames =
    [
        "pod-limit-cpu-cores", "pod-limit-memory-bytes", "pod-request-cpu-cores", "pod-request-memory-bytes", "pod-usage-cpu-cores",
        "pod-usage-memory-bytes", "pod-labels",
    ];

    private static readonly string[] StorageNames =
    [
        "persistentvolume-pod-info", "persistentvolumeclaim-capacity-bytes", "persistentvolumeclaim-request-bytes",
        "persistentvolumeclaim-usage-bytes", "persistentvolume-labels", "persistentvolumeclaim-labels",
    ];

    private static readonly string[] VmNames =
    [
        "vm_cpu_limit_cores", "vm_cpu_request_cores", "vm_cpu_request_sockets", "vm_cpu_request_threads", "vm_cpu_usage",
        "vm_memory_limit_bytes", "vm_memory_request_bytes", "vm_memory_usage", "vm_info", "vm_disk_allocated_size", "vm_labels",
    ];

    private static readonly string[] GpuNames =
    [
        "nvidia-gpu-memory-capacity-mib-mig", "nvidia-gpu-memory-capacity-mib-non-mig", "nvidia-gpu-utilization",
        "nvidia-gpu-pod-uptime", "nvidia-gpu-max-slices",
    ];

    private static readonly string[] RosContainerNames =
    [
        "container-image-owner", "container-image-workload",
        "cpu-request-container-avg", "cpu-request-container-sum", "cpu-limit-container-avg", "cpu-limit-container-sum",
        "cpu-usage-container-avg", "cpu-usage-container-min", "cpu-usage-container-max", "cpu-usage-container-sum",
        "cpu-throttle-container-avg", "cpu-throttle-container-max", "cpu-throttle-container-min", "cpu-throttle-container-sum",
        "memory-request-container-avg", "memory-request-container-sum", "memory-limit-container-avg", "memory-limit-container-sum",
        "memory-usage-container-avg", "memory-usage-container-min", "memory-usage-container-max", "memory-usage-container-sum",
        "memory-rss-usage-container-avg", "memory-rss-usage-container-min", "memory-rss-usage-container-max",
        "memory-rss-usage-container-sum",
        "accelerator-core-usage-percentage-min", "accelerator-core-usage-percentage-max", "accelerator-core-usage-percentage-avg",
        "accelerator-memory-copy-percentage-min", "accelerator-memory-copy-percentage-max", "accelerator-memory-copy-percentage-avg",
        "accelerator-frame-buffer-usage-min", "accelerator-frame-buffer-usage-max", "accelerator-frame-buffer-usage-avg",
    ];

    private static readonly string[] RosNamespaceNames =
    [
        "cpu-request-namespace-sum", "cpu-limit-namespace-sum", "cpu-usage-namespace-avg", "cpu-usage-namespace-max",
        "cpu-usage-namespace-min", "cpu-throttle-namespace-avg", "cpu-throttle-namespace-max", "cpu-throttle-namespace-min",
        "memory-request-namespace-sum", "memory-limit-namespace-sum", "memory-usage-namespace-avg", "memory-usage-namespace-max",
        "memory-usage-namespace-min", "memory-rss-usage-namespace-avg", "memory-rss-usage-namespace-max",
        "memory-rss-usage-namespace-min", "pods-running-namespace-max", "pods-running-namespace-avg", "pods-total-namespace-max",
        "pods-total-namespace-avg",
    ];

    private const string NotPlatform = "namespace!~'kube-.*|openshift|openshift-.*'";

    private static IEnumerable<QueryDefinition> Ros(QuerySet set) => QueryCatalog.All.Where(q => q.Set == set);

    [Fact]
    public void All_Catalog_Has92QueriesWithUniqueNames()
    {
        QueryCatalog.All.Count.ShouldBe(92);
        QueryCatalog.All.Select(q => q.Name).Distinct(StringComparer.Ordinal).Count().ShouldBe(92);
    }

    [Fact]
    public void All_Catalog_NamesAreExactlyCmmosNames()
    {
        string[] expected =
        [
            .. NodeNames, .. PodNames, .. StorageNames, "namespace-labels", .. VmNames, .. GpuNames, "ros-namespace-filter",
            .. RosContainerNames, .. RosNamespaceNames,
        ];

        expected.Length.ShouldBe(92);
        QueryCatalog.All.Select(q => q.Name).ShouldBe(expected, ignoreOrder: true);
    }

    [Fact]
    public void All_CostQueries_EveryNameOfSection2IsInItsSet()
    {
        foreach (var name in NodeNames) { QueryCatalog.Get(name).Set.ShouldBe(QuerySet.Node, name); }
        foreach (var name in PodNames) { QueryCatalog.Get(name).Set.ShouldBe(QuerySet.Pod, name); }
        foreach (var name in StorageNames) { QueryCatalog.Get(name).Set.ShouldBe(QuerySet.Storage, name); }
        foreach (var name in VmNames) { QueryCatalog.Get(name).Set.ShouldBe(QuerySet.VirtualMachine, name); }
        QueryCatalog.Get("namespace-labels").Set.ShouldBe(QuerySet.Namespace);
        QueryCatalog.Get("nvidia-gpu-memory-capacity-mib-mig").Set.ShouldBe(QuerySet.GpuMigCapacity);
        QueryCatalog.Get("nvidia-gpu-memory-capacity-mib-non-mig").Set.ShouldBe(QuerySet.GpuNonMigCapacity);
        QueryCatalog.Get("nvidia-gpu-utilization").Set.ShouldBe(QuerySet.GpuUtilization);
        QueryCatalog.Get("nvidia-gpu-pod-uptime").Set.ShouldBe(QuerySet.GpuUtilization);
        QueryCatalog.Get("nvidia-gpu-max-slices").Set.ShouldBe(QuerySet.GpuMaxSlices);
        QueryCatalog.Get("ros-namespace-filter").Set.ShouldBe(QuerySet.RosGate);
        foreach (var name in RosContainerNames) { QueryCatalog.Get(name).Set.ShouldBe(QuerySet.RosContainer, name); }
        foreach (var name in RosNamespaceNames) { QueryCatalog.Get(name).Set.ShouldBe(QuerySet.RosNamespace, name); }
    }

    [Theory]
    [InlineData(QuerySet.Node, 6)]
    [InlineData(QuerySet.Pod, 7)]
    [InlineData(QuerySet.Storage, 6)]
    [InlineData(QuerySet.Namespace, 1)]
    [InlineData(QuerySet.VirtualMachine, 11)]
    [InlineData(QuerySet.RosGate, 1)]
    [InlineData(QuerySet.RosContainer, 35)]
    [InlineData(QuerySet.RosNamespace, 20)]
    public void Of_EachSet_HasCmmosQueryCount(QuerySet set, int count)
    {
        QueryCatalog.Of(set).Count.ShouldBe(count);
    }

    [Fact]
    public void Of_GpuSets_FiveQueriesInFourSets()
    {
        var gpu = new[] { QuerySet.GpuMigCapacity, QuerySet.GpuNonMigCapacity, QuerySet.GpuUtilization, QuerySet.GpuMaxSlices };

        gpu.Sum(s => QueryCatalog.Of(s).Count).ShouldBe(5);
        QueryCatalog.Of(QuerySet.GpuUtilization).Select(q => q.Name).ShouldBe(["nvidia-gpu-utilization", "nvidia-gpu-pod-uptime"]);
    }

    [Fact]
    public void Of_RosContainer_26CpuMemoryAnd9Accelerator()
    {
        var names = QueryCatalog.Of(QuerySet.RosContainer).Select(q => q.Name).ToList();

        names.Count(n => n.StartsWith("accelerator-", StringComparison.Ordinal)).ShouldBe(9);
        names.Count(n => !n.StartsWith("accelerator-", StringComparison.Ordinal)).ShouldBe(26);
    }

    [Fact]
    public void Of_RosContainer_AcceleratorQueriesAfterCpuMemoryQueries()
    {
        // The accelerator queries overwrite node from Hostname (gotcha 5), so they must write last.
        var names = QueryCatalog.Of(QuerySet.RosContainer).Select(q => q.Name).ToList();
        var firstAccelerator = names.FindIndex(n => n.StartsWith("accelerator-", StringComparison.Ordinal));

        firstAccelerator.ShouldBe(26);
    }

    [Fact]
    public void All_Catalog_CostQueriesComeInCmmoOrder()
    {
        QueryCatalog.Of(QuerySet.Node).Select(q => q.Name).ShouldBe(NodeNames);
        QueryCatalog.Of(QuerySet.Pod).Select(q => q.Name).ShouldBe(PodNames);
        QueryCatalog.Of(QuerySet.Storage).Select(q => q.Name).ShouldBe(StorageNames);
        QueryCatalog.Of(QuerySet.VirtualMachine).Select(q => q.Name).ShouldBe(VmNames);
    }

    [Fact]
    public void All_Expressions_NoFiveMinuteWindows()
    {
        foreach (var q in QueryCatalog.All)
        {
            // Any window or subquery range of five minutes: [5m], [5m:], [5m:1m].
            Regex.IsMatch(q.Expression, @"\[\s*5m\s*[\]:]").ShouldBeFalse(q.Name);
            Regex.IsMatch(q.Expression, @"\[\s*300s\s*[\]:]").ShouldBeFalse(q.Name);
        }
    }

    [Theory]
    [InlineData("pod-usage-cpu-cores")]
    [InlineData("vm_cpu_usage")]
    [InlineData("vm_memory_usage")]
    [InlineData("cpu-throttle-namespace-avg")]
    [InlineData("cpu-throttle-namespace-max")]
    [InlineData("cpu-throttle-namespace-min")]
    public void Get_QueriesThatHadFiveMinuteWindows_UseFifteenMinutes(string name)
    {
        QueryCatalog.Get(name).Expression.ShouldContain("[15m])");
    }

    [Fact]
    public void All_Expressions_NoClusterMatcher()
    {
        foreach (var q in QueryCatalog.All)
        {
            q.Expression.ShouldNotContain("clusterID", Case.Insensitive, q.Name);
            q.Expression.ShouldNotContain("cluster", Case.Insensitive, q.Name);
        }
    }

    [Fact]
    public void All_Expressions_BracketsBalancedOutsideQuotes()
    {
        foreach (var q in QueryCatalog.All)
        {
            var depth = new Stack<char>();
            var quote = '\0';
            foreach (var c in q.Expression)
            {
                if (quote != '\0')
                {
                    quote = c == quote ? '\0' : quote;
                    continue;
                }

                switch (c)
                {
                    case '\'' or '"':
                        quote = c;
                        break;
                    case '(' or '{' or '[':
                        depth.Push(c);
                        break;
                    case ')':
                        depth.Pop().ShouldBe('(', q.Name);
                        break;
                    case '}':
                        depth.Pop().ShouldBe('{', q.Name);
                        break;
                    case ']':
                        depth.Pop().ShouldBe('[', q.Name);
                        break;
                }
            }

            quote.ShouldBe('\0', q.Name);
            depth.ShouldBeEmpty(q.Name);
        }
    }

    [Fact]
    public void All_LiteralQueries_AreTheBareMetricNames()
    {
        QueryCatalog.Get("node-role").Expression.ShouldBe("kube_node_role");
        QueryCatalog.Get("node-labels").Expression.ShouldBe("kube_node_labels");
        QueryCatalog.Get("namespace-labels").Expression.ShouldBe("kube_namespace_labels");
    }

    [Fact]
    public void Get_NodeCapacityCpu_ExpressionMatchesCmmo()
    {
        QueryCatalog.Get("node-capacity-cpu-cores").Expression.ShouldBe(
            "kube_node_status_capacity{resource='cpu'} * on(node) group_left(provider_id) max by (node, provider_id) (kube_node_info) ");
        QueryCatalog.Get("node-allocatable-memory-bytes").Expression.ShouldBe(
            "kube_node_status_allocatable{resource='memory'} * on(node) group_left(provider_id) max by (node, provider_id) (kube_node_info) ");
    }

    [Fact]
    public void Get_PodUsageMemory_ExpressionMatchesCmmo()
    {
        QueryCatalog.Get("pod-usage-memory-bytes").Expression.ShouldBe(
            "sum by (pod, namespace, node) (container_memory_usage_bytes{container!='', container!='POD', pod!='', namespace!='', node!=''})");
        QueryCatalog.Get("persistentvolumeclaim-capacity-bytes").Expression.ShouldBe("kube_persistentvolume_capacity_bytes{persistentvolume != ''}");
    }

    /// <summary>Expressions that §2 gives in full, with [5m] → [15m] (Bridge decision f).</summary>
    public static TheoryData<string, string> ExactExpressions => new()
    {
        {
            "pod-usage-cpu-cores",
            "sum by (pod, namespace, node) (rate(container_cpu_usage_seconds_total{container!='', container!='POD', pod!='', " +
            "namespace!='', node!=''}[15m]))"
        },
        {
            "pod-limit-cpu-cores",
            "sum by (pod, namespace, node) (kube_pod_container_resource_limits{pod!='', namespace!='', node!='', resource='cpu'} " +
            "* on(pod, namespace) group_left max by (pod, namespace) (kube_pod_status_phase{phase='Running'}))"
        },
        {
            "pod-request-memory-bytes",
            "sum by (pod, namespace, node) (kube_pod_container_resource_requests{pod!='', namespace!='', node!='', resource='memory'} " +
            "* on(pod, namespace) group_left max by (pod, namespace) (kube_pod_status_phase{phase='Running'}))"
        },
        {
            "persistentvolume-pod-info",
            "kube_pod_spec_volumes_persistentvolumeclaims_info * on(persistentvolumeclaim, namespace) group_left(volumename) " +
            "max by(namespace, persistentvolumeclaim, volumename) (kube_persistentvolumeclaim_info{volumename != ''})"
        },
        {
            "persistentvolume-labels",
            "kube_persistentvolume_labels * on(persistentvolume, namespace) group_left(storageclass, csi_driver, csi_volume_handle) " +
            "max by(namespace, persistentvolume, storageclass, csi_driver, csi_volume_handle) (kube_persistentvolume_info)"
        },
        {
            "vm_cpu_usage",
            "sum by (name, namespace) (rate(kubevirt_vmi_cpu_usage_seconds_total{name!='', namespace!=''}[15m])) " +
            "* on (name, namespace) group_left max by (name, namespace) (kubevirt_vmi_info{phase='running'})"
        },
        {
            "vm_cpu_limit_cores",
            "sum by (name, namespace) (kubevirt_vm_resource_limits{name!='', namespace!='', resource='cpu'}) " +
            "* on (name, namespace) group_left max by (name, namespace) (kubevirt_vmi_info{phase='running'})"
        },
        {
            "vm_info",
            "sum by (name, namespace, node, os, instance_type, guest_os_name, guest_os_version_id, guest_os_arch) " +
            "(kubevirt_vmi_info{phase='running'}) * on(node) group_left(provider_id) max by (node, provider_id) (kube_node_info)"
        },
        { "vm_labels", "kubevirt_vm_labels{name!='', namespace!=''}" },
        {
            "nvidia-gpu-memory-capacity-mib-non-mig",
            "sum by (pod, namespace, node, label_nvidia_com_gpu_memory) ((kube_pod_container_resource_requests{pod!='', " +
            "namespace!='', node!='', resource='nvidia_com_gpu'} * on(pod, namespace) group_left max by (pod, namespace) " +
            "(kube_pod_status_phase{phase='Running'})) * on(node) group_left(label_nvidia_com_gpu_memory) " +
            "(max by (node, label_nvidia_com_gpu_memory) (kube_node_labels)))"
        },
    };

    [Theory]
    [MemberData(nameof(ExactExpressions))]
    public void Get_QueryGivenInFull_ExpressionIsCmmosWithFifteenMinuteWindows(string name, string expression)
    {
        QueryCatalog.Get(name).Expression.ShouldBe(expression);
    }

    [Fact]
    public void Get_PodValueQueries_KeepOnlyRunningPods()
    {
        foreach (var name in new[] { "pod-limit-cpu-cores", "pod-limit-memory-bytes", "pod-request-cpu-cores", "pod-request-memory-bytes", "pod-labels" })
        {
            QueryCatalog.Get(name).Expression.ShouldContain(
                "* on(pod, namespace) group_left max by (pod, namespace) (kube_pod_status_phase{phase='Running'})", Case.Sensitive, name);
        }

        QueryCatalog.Get("pod-usage-cpu-cores").Expression.ShouldNotContain("Running");
        QueryCatalog.Get("pod-usage-memory-bytes").Expression.ShouldNotContain("Running");
    }

    [Fact]
    public void Get_RosGate_IsEitherOptInLabelOutsidePlatformNamespaces()
    {
        QueryCatalog.Get("ros-namespace-filter").Expression.ShouldBe(
            "kube_namespace_labels{label_insights_cost_management_optimizations='true', " + NotPlatform + "} or " +
            "kube_namespace_labels{label_cost_management_optimizations='true', " + NotPlatform + "}");
    }

    [Fact]
    public void All_RosQueries_ExcludePlatformNamespacesExceptAccelerators()
    {
        foreach (var q in QueryCatalog.Of(QuerySet.RosContainer).Concat(QueryCatalog.Of(QuerySet.RosNamespace)))
        {
            var accelerator = q.Name.StartsWith("accelerator-", StringComparison.Ordinal);
            if (accelerator)
            {
                q.Expression.ShouldNotContain("openshift", Case.Sensitive, q.Name);
            }
            else
            {
                q.Expression.ShouldContain(NotPlatform, Case.Sensitive, q.Name);
            }

            q.Expression.ShouldContain("label_insights_cost_management_optimizations='true'", Case.Sensitive, q.Name);
            q.Expression.ShouldContain("label_cost_management_optimizations='true'", Case.Sensitive, q.Name);
        }
    }

    [Fact]
    public void Get_ImageWorkloads_DropDeploymentConfigs()
    {
        QueryCatalog.Get("container-image-workload").Expression.ShouldContain("workload_type!~'(?i)deploymentconfig'");
    }

    [Theory]
    [InlineData("cpu-usage-container-sum", "sum by(container, pod, namespace, node) (avg_over_time(")]
    [InlineData("memory-usage-container-sum", "sum by(container, pod, namespace, node) (avg_over_time(")]
    [InlineData("memory-rss-usage-container-min", "min by(container, pod, namespace, node) (min_over_time(container_memory_rss")]
    [InlineData("cpu-usage-container-max", "max by(container, pod, namespace, node) (max_over_time(")]
    [InlineData("accelerator-frame-buffer-usage-max", "max by (modelName, GPU_I_PROFILE, exported_container")]
    [InlineData("accelerator-core-usage-percentage-avg", "avg_over_time(DCGM_FI_DEV_GPU_UTIL")]
    [InlineData("accelerator-memory-copy-percentage-min", "min_over_time(DCGM_FI_DEV_MEM_COPY_UTIL")]
    [InlineData("pods-running-namespace-avg", "avg_over_time(sum by(namespace) (kube_pod_status_phase{phase='Running'})[15m:])")]
    [InlineData("pods-total-namespace-max", "max_over_time(sum by(namespace) (kube_pod_info)[15m:])")]
    [InlineData("cpu-limit-namespace-sum", "kube_resourcequota{resource='limits.cpu', type='hard'}")]
    [InlineData("memory-request-namespace-sum", "kube_resourcequota{resource='requests.memory', type='hard'}")]
    [InlineData("memory-limit-container-avg", "kube_pod_container_resource_limits{container!='', container!='POD', pod!='', resource='memory', unit='byte'}")]
    [InlineData("cpu-request-container-sum", "kube_pod_container_resource_requests{container!='', container!='POD', pod!='', resource='cpu', unit='core'}")]
    public void Get_RosQueries_AggregationAndMetricAsCmmo(string name, string fragment)
    {
        QueryCatalog.Get(name).Expression.ShouldContain(fragment);
    }

    [Fact]
    public void Get_UnknownName_Throws()
    {
        Should.Throw<KeyNotFoundException>(() => QueryCatalog.Get("no-such-query"));
    }

    public static TheoryData<string, string[]> RowKeys => new()
    {
        { "node-labels", ["node"] },
        { "pod-labels", ["pod", "namespace"] },
        { "pod-usage-cpu-cores", ["pod", "namespace"] },
        { "persistentvolume-pod-info", ["volumename"] },
        { "persistentvolumeclaim-capacity-bytes", ["persistentvolume"] },
        { "persistentvolumeclaim-request-bytes", ["volumename"] },
        { "persistentvolumeclaim-usage-bytes", ["volumename"] },
        { "persistentvolume-labels", ["persistentvolume"] },
        { "persistentvolumeclaim-labels", ["volumename"] },
        { "namespace-labels", ["namespace"] },
        { "vm_info", ["name", "namespace"] },
        { "vm_disk_allocated_size", ["name", "namespace"] },
        { "nvidia-gpu-utilization", ["exported_pod", "exported_namespace", "Hostname", "UUID", "GPU_I_ID"] },
        { "nvidia-gpu-memory-capacity-mib-mig", ["exported_pod", "exported_namespace", "Hostname", "UUID", "GPU_I_ID"] },
        { "nvidia-gpu-max-slices", ["exported_pod", "exported_namespace", "Hostname", "UUID", "GPU_I_ID"] },
        { "nvidia-gpu-memory-capacity-mib-non-mig", ["pod", "namespace", "node"] },
        { "ros-namespace-filter", ["namespace"] },
        { "container-image-owner", ["container", "pod", "namespace"] },
        { "cpu-usage-container-avg", ["container", "pod", "namespace"] },
        { "accelerator-core-usage-percentage-min", ["exported_container", "exported_pod", "exported_namespace"] },
        { "pods-total-namespace-avg", ["namespace"] },
    };

    [Theory]
    [MemberData(nameof(RowKeys))]
    public void Get_Query_RowKeyLabelsAsCmmo(string name, string[] key)
    {
        QueryCatalog.Get(name).RowKey.ShouldBe(key, ignoreOrder: true);
    }

    [Fact]
    public void All_RowKeys_SameWithinEachSetExceptStorage()
    {
        foreach (var set in new[] { QuerySet.Node, QuerySet.Pod, QuerySet.VirtualMachine, QuerySet.RosNamespace })
        {
            QueryCatalog.Of(set).Select(q => string.Join(",", q.RowKey.Order(StringComparer.Ordinal))).Distinct().Count().ShouldBe(1, set.ToString());
        }
    }

    /// <summary>Method, value field and seconds field of every query with a value (§2.1–2.6).</summary>
    public static TheoryData<string, ValueMethod, string?, string?> ValueSpecs => new()
    {
        { "node-allocatable-cpu-cores", ValueMethod.Max, "node-allocatable-cpu-cores", "node-allocatable-cpu-core-seconds" },
        { "node-allocatable-memory-bytes", ValueMethod.Max, "node-allocatable-memory-bytes", "node-allocatable-memory-byte-seconds" },
        { "node-capacity-cpu-cores", ValueMethod.Max, "node-capacity-cpu-cores", "node-capacity-cpu-core-seconds" },
        { "node-capacity-memory-bytes", ValueMethod.Max, "node-capacity-memory-bytes", "node-capacity-memory-byte-seconds" },
        { "pod-limit-cpu-cores", ValueMethod.Sum, "pod-limit-cpu-cores", "pod-limit-cpu-core-seconds" },
        { "pod-limit-memory-bytes", ValueMethod.Sum, "pod-limit-memory-bytes", "pod-limit-memory-byte-seconds" },
        { "pod-request-cpu-cores", ValueMethod.Sum, "pod-request-cpu-cores", "pod-request-cpu-core-seconds" },
        { "pod-request-memory-bytes", ValueMethod.Sum, "pod-request-memory-bytes", "pod-request-memory-byte-seconds" },
        { "pod-usage-cpu-cores", ValueMethod.Sum, "pod-usage-cpu-cores", "pod-usage-cpu-core-seconds" },
        { "pod-usage-memory-bytes", ValueMethod.Sum, "pod-usage-memory-bytes", "pod-usage-memory-byte-seconds" },
        { "persistentvolumeclaim-capacity-bytes", ValueMethod.Max, "persistentvolumeclaim-capacity-bytes", "persistentvolumeclaim-capacity-byte-seconds" },
        { "persistentvolumeclaim-request-bytes", ValueMethod.Max, "persistentvolumeclaim-request-bytes", "persistentvolumeclaim-request-byte-seconds" },
        { "persistentvolumeclaim-usage-bytes", ValueMethod.Sum, "persistentvolumeclaim-usage-bytes", "persistentvolumeclaim-usage-byte-seconds" },
        { "vm_cpu_limit_cores", ValueMethod.Max, "vm_cpu_limit_cores", "vm_cpu_limit_core_seconds" },
        { "vm_cpu_request_cores", ValueMethod.Max, "vm_cpu_request_cores", "vm_cpu_request_core_seconds" },
        { "vm_cpu_request_sockets", ValueMethod.Max, "vm_cpu_request_sockets", "vm_cpu_request_socket_seconds" },
        { "vm_cpu_request_threads", ValueMethod.Max, "vm_cpu_request_threads", "vm_cpu_request_thread_seconds" },
        { "vm_cpu_usage", ValueMethod.Sum, "vm_cpu_usage", "vm_cpu_usage_total_seconds" },
        { "vm_memory_limit_bytes", ValueMethod.Max, "vm_memory_limit_bytes", "vm_memory_limit_byte_seconds" },
        { "vm_memory_request_bytes", ValueMethod.Max, "vm_memory_request_bytes", "vm_memory_request_byte_seconds" },
        { "vm_memory_usage", ValueMethod.Sum, "vm_memory_usage_bytes", "vm_memory_usage_byte_seconds" },
        { "vm_info", ValueMethod.Sum, null, "vm_uptime_total_seconds" },
        { "vm_disk_allocated_size", ValueMethod.Max, "vm_disk_allocated_size_bytes", "vm_disk_allocated_size_byte_seconds" },
        { "nvidia-gpu-utilization", ValueMethod.Sum, "nvidia-gpu-pod-utilization", null },
        { "nvidia-gpu-pod-uptime", ValueMethod.Sum, null, "nvidia-gpu-pod-uptime-seconds" },
        { "nvidia-gpu-max-slices", ValueMethod.Max, "nvidia-gpu-max-slices", null },
    };

    [Theory]
    [MemberData(nameof(ValueSpecs))]
    public void Get_CostQueryWithValue_MethodAndFieldsAsCmmo(string name, ValueMethod method, string? valueField, string? secondsField)
    {
        var spec = QueryCatalog.Get(name).Value.ShouldNotBeNull();

        spec.Method.ShouldBe(method);
        spec.ValueField.ShouldBe(valueField);
        spec.SecondsField.ShouldBe(secondsField);
    }

    [Fact]
    public void All_CostQueriesWithoutValue_AreTheIdentityAndLabelQueries()
    {
        var withoutValue = QueryCatalog.All.Where(q => !q.IsRos && q.Value is null).Select(q => q.Name);

        withoutValue.ShouldBe(
        [
            "node-role", "node-labels", "pod-labels", "persistentvolume-pod-info", "persistentvolume-labels",
            "persistentvolumeclaim-labels", "namespace-labels", "vm_labels", "nvidia-gpu-memory-capacity-mib-mig",
            "nvidia-gpu-memory-capacity-mib-non-mig",
        ], ignoreOrder: true);
    }

    [Fact]
    public void All_RosMetricQueries_InstantValueIntoTheQueryNameField()
    {
        var metrics = QueryCatalog.All.Where(q => q.IsRos && q.Set != QuerySet.RosGate && !q.Name.StartsWith("container-image-", StringComparison.Ordinal));

        metrics.Count().ShouldBe(53);
        foreach (var q in metrics)
        {
            var spec = q.Value.ShouldNotBeNull(q.Name);
            spec.Method.ShouldBe(ValueMethod.Instant, q.Name);
            spec.ValueField.ShouldBe(q.Name);
            spec.SecondsField.ShouldBeNull(q.Name);
        }

        QueryCatalog.Get("container-image-owner").Value.ShouldBeNull();
        QueryCatalog.Get("container-image-workload").Value.ShouldBeNull();
        QueryCatalog.Get("ros-namespace-filter").Value.ShouldBeNull();
    }

    [Fact]
    public void All_IsRos_OnlyForGateContainerAndNamespaceSets()
    {
        QueryCatalog.All.Count(q => q.IsRos).ShouldBe(56);
        QueryCatalog.All.Where(q => q.IsRos).ShouldAllBe(q => q.Set == QuerySet.RosGate || q.Set == QuerySet.RosContainer || q.Set == QuerySet.RosNamespace);
    }

    [Fact]
    public void All_RegexFields_LabelStarExceptPvcLabels()
    {
        var regex = QueryCatalog.All.Where(q => q.RegexFields.Count > 0)
            .ToDictionary(q => q.Name, q => q.RegexFields.ShouldHaveSingleItem(), StringComparer.Ordinal);

        regex.Keys.ShouldBe(
            ["node-labels", "pod-labels", "persistentvolume-labels", "persistentvolumeclaim-labels", "namespace-labels", "vm_labels"],
            ignoreOrder: true);
        regex["node-labels"].ShouldBe(new LabelRegexField("node_labels", "label_*"));
        regex["pod-labels"].ShouldBe(new LabelRegexField("pod_labels", "label_*"));
        regex["persistentvolume-labels"].ShouldBe(new LabelRegexField("persistentvolume_labels", "label_*"));
        regex["persistentvolumeclaim-labels"].ShouldBe(new LabelRegexField("persistentvolumeclaim_labels", "label_"));
        regex["namespace-labels"].ShouldBe(new LabelRegexField("namespace_labels", "label_*"));
        regex["vm_labels"].ShouldBe(new LabelRegexField("vm_labels", "label_*"));
    }

    public static TheoryData<string, string> LabelFieldLists => new()
    {
        { "node-allocatable-cpu-cores", "node<-node provider_id<-provider_id" },
        { "node-role", "node<-node node-role<-role" },
        { "node-labels", "node<-node" },
        { "pod-request-memory-bytes", "pod<-pod namespace<-namespace node<-node" },
        { "pod-labels", "pod<-pod namespace<-namespace" },
        { "persistentvolume-pod-info", "namespace<-namespace pod<-pod" },
        { "persistentvolumeclaim-capacity-bytes", "" },
        { "persistentvolumeclaim-request-bytes", "" },
        { "persistentvolumeclaim-usage-bytes", "node<-node" },
        { "persistentvolume-labels", "storageclass<-storageclass persistentvolume<-persistentvolume csi_driver<-csi_driver csi_volume_handle<-csi_volume_handle" },
        { "persistentvolumeclaim-labels", "namespace<-namespace persistentvolumeclaim<-persistentvolumeclaim" },
        { "namespace-labels", "namespace<-namespace" },
        { "vm_cpu_usage", "name<-name namespace<-namespace" },
        {
            "vm_info",
            "node<-node provider_id<-provider_id name<-name namespace<-namespace instance_type<-instance_type os<-os " +
            "guest_os_arch<-guest_os_arch guest_os_name<-guest_os_name guest_os_version_id<-guest_os_version_id"
        },
        { "vm_disk_allocated_size", "name<-name namespace<-namespace device<-device volume_mode<-volume_mode persistentvolumeclaim_name<-persistentvolumeclaim" },
        { "vm_labels", "name<-name namespace<-namespace" },
        {
            "nvidia-gpu-memory-capacity-mib-mig",
            "pod<-exported_pod namespace<-exported_namespace node<-Hostname gpu_memory_capacity_mib<-label_nvidia_com_gpu_memory " +
            "mig_strategy<-label_nvidia_com_mig_strategy"
        },
        { "nvidia-gpu-memory-capacity-mib-non-mig", "pod<-pod namespace<-namespace node<-node gpu_memory_capacity_mib<-label_nvidia_com_gpu_memory" },
        {
            "nvidia-gpu-utilization",
            "node<-Hostname namespace<-exported_namespace pod<-exported_pod gpu_uuid<-UUID model_name<-modelName " +
            "mig_instance_id<-GPU_I_ID mig_profile<-GPU_I_PROFILE vendor_name<-device"
        },
        {
            "nvidia-gpu-pod-uptime",
            "node<-Hostname namespace<-exported_namespace pod<-exported_pod gpu_uuid<-UUID model_name<-modelName " +
            "mig_instance_id<-GPU_I_ID mig_profile<-GPU_I_PROFILE vendor_name<-device"
        },
        { "nvidia-gpu-max-slices", "node<-Hostname namespace<-exported_namespace pod<-exported_pod" },
        { "ros-namespace-filter", "namespace<-namespace" },
        {
            "container-image-owner",
            "image_name<-image owner_name<-owner_name owner_kind<-owner_kind container_name<-container pod<-pod namespace<-namespace"
        },
        {
            "container-image-workload",
            "image_name<-image workload<-workload workload_type<-workload_type container_name<-container pod<-pod namespace<-namespace"
        },
        { "memory-rss-usage-container-sum", "container_name<-container pod<-pod namespace<-namespace node<-node" },
        {
            "accelerator-core-usage-percentage-min",
            "accelerator_model_name<-modelName container<-exported_container namespace<-exported_namespace pod<-exported_pod node<-Hostname"
        },
        {
            "accelerator-frame-buffer-usage-avg",
            "accelerator_model_name<-modelName accelerator_profile_name<-GPU_I_PROFILE container<-exported_container " +
            "namespace<-exported_namespace pod<-exported_pod node<-Hostname"
        },
        { "memory-usage-namespace-min", "namespace<-namespace" },
    };

    [Theory]
    [MemberData(nameof(LabelFieldLists))]
    public void Get_Query_LabelFieldsAsCmmo(string name, string fields)
    {
        var actual = QueryCatalog.Get(name).LabelFields.Select(f => $"{f.Field}<-{f.Label}").ToList();
        string[] expected = fields.Length == 0 ? [] : fields.Split(' ');

        actual.ShouldBe(expected, ignoreOrder: true);
    }

    [Fact]
    public void All_AcceleratorQueries_FrameBufferOnlySetsProfile()
    {
        foreach (var q in QueryCatalog.Of(QuerySet.RosContainer).Where(q => q.Name.StartsWith("accelerator-", StringComparison.Ordinal)))
        {
            var setsProfile = q.LabelFields.Any(f => f.Field == "accelerator_profile_name");
            setsProfile.ShouldBe(q.Name.StartsWith("accelerator-frame-buffer-usage-", StringComparison.Ordinal), q.Name);
            q.LabelFields.ShouldNotContain(f => f.Field == "container_name", q.Name);
        }
    }
}
