using ThanosBridge.Core.Catalog;
using ThanosBridge.Core.Csv;
using ThanosBridge.Core.Prometheus;

namespace ThanosBridge.Core.Reports;

/// <summary>What the reports were built from: one cluster's catalog results over consecutive whole UTC hours.</summary>
/// <param name="Hours">The start of every hour to report, ascending, all in one UTC day.</param>
/// <param name="Step">The range-query step of the cost queries (Bridge decision g).</param>
/// <param name="Results">Query name → matrix; a missing name means an empty result.</param>
/// <param name="RosEnabled">Whether the two resource-optimization reports are built.</param>
public sealed record ReportInputs(
    IReadOnlyList<DateTimeOffset> Hours,
    TimeSpan Step,
    IReadOnlyDictionary<string, QueryResult> Results,
    bool RosEnabled)
{
    /// <summary>
    /// Cost queries already reduced to hourly summaries (the collector reduces each answer as it arrives, so a cluster-day
    /// never holds every sample); a query named here is not read from <see cref="Results"/>.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<HourlySeries>> Hourly { get; init; } =
        new Dictionary<string, IReadOnlyList<HourlySeries>>(StringComparer.Ordinal);
}

/// <summary>The reports of one cluster-day and what went into them.</summary>
/// <param name="Tables">The six cost CSVs (always, possibly header-only) and the ROS CSVs that have rows.</param>
/// <param name="HoursWithData">The hours that had node data; an hour without is left out of every report (§1.6).</param>
public sealed record ReportSet(IReadOnlyList<CsvTable> Tables, IReadOnlyList<DateTimeOffset> HoursWithData)
{
    public CsvTable this[ReportKind kind] => Tables.First(t => t.Kind == kind);

    public bool Has(ReportKind kind) => Tables.Any(t => t.Kind == kind);
}

/// <summary>
/// Builds CMMO's eight reports from range-query matrices (cmmo-output.md §1.5, §1.6, §2, §3). One matrix per query
/// covers all hours; samples are split into hours here. ROS queries were evaluated every 15 minutes (Bridge decision h),
/// so each ROS sample is one window, gated by that window's <c>ros-namespace-filter</c> result.
/// </summary>
public static class ReportBuilder
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private static readonly TimeSpan RosWindow = TimeSpan.FromMinutes(15);

    public static ReportSet Build(ReportInputs inputs)
    {
        var assembly = new ReportAssembly(inputs);
        foreach (var kind in Enum.GetValues<ReportKind>())
        {
            assembly.Add(kind, inputs);
        }

        return assembly.Finish();
    }

    /// <summary>The requested hours that have node data, each with its node rows (an hour without is left out of every report, §1.6).</summary>
    internal static List<(DateTimeOffset Hour, RowMap Nodes)> NodeHours(ReportInputs inputs)
    {
        var slices = new HourSlices(inputs.Results, inputs.Hourly);
        var hours = new List<(DateTimeOffset, RowMap)>();
        foreach (var hour in inputs.Hours)
        {
            var nodes = Collect(QuerySet.Node, slices, hour, inputs.Step);
            if (nodes.IsEmpty)
            {
                continue;
            }

            foreach (var (_, node) in nodes.Ordered)
            {
                node["resource_id"] = ResourceId(node.GetValueOrDefault("provider_id"));
            }

            hours.Add((hour, nodes));
        }

        return hours;
    }

    /// <summary>The rows of one report, hour by hour (ROS: window by window), from the answers of its query sets in <paramref name="inputs"/>.</summary>
    internal static void AddRows(
        ReportKind kind, CompactRows rows, ReportInputs inputs, IReadOnlyList<(DateTimeOffset Hour, RowMap Nodes)> nodeHours)
    {
        var slices = new HourSlices(inputs.Results, inputs.Hourly);
        foreach (var (hour, nodes) in nodeHours)
        {
            var interval = Interval(hour, hour + Hour - TimeSpan.FromSeconds(1));
            switch (kind)
            {
                case ReportKind.Node:
                    AddNodeRows(rows, interval, nodes);
                    break;
                case ReportKind.Pod:
                    AddPodRows(rows, interval, Collect(QuerySet.Pod, slices, hour, inputs.Step), nodes);
                    break;
                case ReportKind.Storage:
                    AddStorageRows(rows, interval, Collect(QuerySet.Storage, slices, hour, inputs.Step));
                    break;
                case ReportKind.VirtualMachine:
                    AddVmRows(rows, interval, Collect(QuerySet.VirtualMachine, slices, hour, inputs.Step));
                    break;
                case ReportKind.Namespace:
                    AddNamespaceRows(rows, interval, Collect(QuerySet.Namespace, slices, hour, inputs.Step));
                    break;
                case ReportKind.NvidiaGpu:
                    AddGpuRows(rows, interval, slices, hour, inputs.Step);
                    break;
                case ReportKind.RosContainer or ReportKind.RosNamespace when inputs.RosEnabled:
                    for (var end = hour + RosWindow; end <= hour + Hour; end += RosWindow)
                    {
                        AddRosWindow(kind, rows, slices, end, nodes);
                    }

                    break;
            }
        }
    }

    /// <summary>The suffix of a provider id after its last '/' (§3.7).</summary>
    public static string ResourceId(string? providerId)
    {
        if (string.IsNullOrEmpty(providerId))
        {
            return "";
        }

        var slash = providerId.LastIndexOf('/');
        return slash < 0 ? providerId : providerId[(slash + 1)..];
    }

    private static RowMap Collect(QuerySet set, HourSlices slices, DateTimeOffset hour, TimeSpan step)
    {
        var map = new RowMap();
        foreach (var query in QueryCatalog.Of(set))
        {
            foreach (var (labels, summary) in slices.InHour(query.Name, hour))
            {
                map.Apply(query, labels, summary, step);
            }
        }

        return map;
    }

    private static string[] Interval(DateTimeOffset start, DateTimeOffset end) =>
    [
        CsvFormat.ReportPeriodStart(start), CsvFormat.ReportPeriodEnd(start), CsvFormat.Timestamp(start), CsvFormat.Timestamp(end),
    ];

    private static string Get(Dictionary<string, string> row, string field) => row.GetValueOrDefault(field, "");

    private static void AddNodeRows(CompactRows output, string[] interval, RowMap nodes)
    {
        foreach (var (_, row) in nodes.Ordered)
        {
            output.Add(CsvRow.Of([.. interval, Get(row, "node"), Get(row, "node_labels")]));
        }
    }

    /// <summary>
    /// Pod rows take node, capacity, role and resource_id from the node row of the pod's node; a pod whose node has no
    /// node row gets all seven empty, even when the pod series carried a node label (gotcha 4).
    /// </summary>
    private static void AddPodRows(CompactRows output, string[] interval, RowMap pods, RowMap nodes)
    {
        foreach (var (_, row) in pods.Ordered)
        {
            var node = row.TryGetValue("node", out var name) && nodes.TryGet(name, out var n) ? n : null;
            string FromNode(string field) => node is null ? "" : Get(node, field);
            output.Add(CsvRow.Of(
            [
                .. interval, FromNode("node"), Get(row, "namespace"), Get(row, "pod"),
                Get(row, "pod-usage-cpu-core-seconds"), Get(row, "pod-request-cpu-core-seconds"), Get(row, "pod-limit-cpu-core-seconds"),
                Get(row, "pod-usage-memory-byte-seconds"), Get(row, "pod-request-memory-byte-seconds"), Get(row, "pod-limit-memory-byte-seconds"),
                FromNode("node-capacity-cpu-cores"), FromNode("node-capacity-cpu-core-seconds"),
                FromNode("node-capacity-memory-bytes"), FromNode("node-capacity-memory-byte-seconds"),
                FromNode("node-role"), FromNode("resource_id"), Get(row, "pod_labels"),
            ]));
        }
    }

    private static void AddStorageRows(CompactRows output, string[] interval, RowMap volumes)
    {
        foreach (var (_, row) in volumes.Ordered)
        {
            output.Add(CsvRow.Of(
            [
                .. interval, Get(row, "namespace"), Get(row, "pod"), Get(row, "node"), Get(row, "persistentvolumeclaim"),
                Get(row, "persistentvolume"), Get(row, "storageclass"), Get(row, "csi_driver"), Get(row, "csi_volume_handle"),
                Get(row, "persistentvolumeclaim-capacity-bytes"), Get(row, "persistentvolumeclaim-capacity-byte-seconds"),
                Get(row, "persistentvolumeclaim-request-byte-seconds"), Get(row, "persistentvolumeclaim-usage-byte-seconds"),
                Get(row, "persistentvolume_labels"), Get(row, "persistentvolumeclaim_labels"),
            ]));
        }
    }

    private static void AddVmRows(CompactRows output, string[] interval, RowMap vms)
    {
        foreach (var (_, row) in vms.Ordered)
        {
            output.Add(CsvRow.Of(
            [
                .. interval, Get(row, "node"), ResourceId(Get(row, "provider_id")), Get(row, "namespace"), Get(row, "name"),
                Get(row, "instance_type"), Get(row, "os"), Get(row, "guest_os_arch"), Get(row, "guest_os_name"),
                Get(row, "guest_os_version_id"), Get(row, "vm_uptime_total_seconds"),
                Get(row, "vm_cpu_limit_cores"), Get(row, "vm_cpu_limit_core_seconds"),
                Get(row, "vm_cpu_request_cores"), Get(row, "vm_cpu_request_core_seconds"),
                Get(row, "vm_cpu_request_sockets"), Get(row, "vm_cpu_request_socket_seconds"),
                Get(row, "vm_cpu_request_threads"), Get(row, "vm_cpu_request_thread_seconds"),
                Get(row, "vm_cpu_usage_total_seconds"), Get(row, "vm_memory_limit_bytes"), Get(row, "vm_memory_limit_byte_seconds"),
                Get(row, "vm_memory_request_bytes"), Get(row, "vm_memory_request_byte_seconds"), Get(row, "vm_memory_usage_byte_seconds"),
                Get(row, "device"), Get(row, "volume_mode"), Get(row, "persistentvolumeclaim_name"),
                Get(row, "vm_disk_allocated_size_byte_seconds"), Get(row, "vm_labels"),
            ]));
        }
    }

    private static void AddNamespaceRows(CompactRows output, string[] interval, RowMap namespaces)
    {
        foreach (var (_, row) in namespaces.Ordered)
        {
            output.Add(CsvRow.Of([.. interval, Get(row, "namespace"), Get(row, "namespace_labels")]));
        }
    }

    /// <summary>
    /// §2.6 merge: rows come only from the utilization set. A row with a non-blank GPU_I_ID (including "0") is MIG and
    /// takes the MIG-capacity and max-slices rows of the same key; otherwise the non-MIG capacity row keyed by pod,
    /// namespace and node. Capacity or max-slices rows without a utilization row are dropped.
    /// </summary>
    private static void AddGpuRows(CompactRows output, string[] interval, HourSlices slices, DateTimeOffset hour, TimeSpan step)
    {
        var utilization = Collect(QuerySet.GpuUtilization, slices, hour, step);
        if (utilization.IsEmpty)
        {
            return;
        }

        var mig = Collect(QuerySet.GpuMigCapacity, slices, hour, step);
        var nonMig = Collect(QuerySet.GpuNonMigCapacity, slices, hour, step);
        var maxSlices = Collect(QuerySet.GpuMaxSlices, slices, hour, step);
        foreach (var (key, row) in utilization.Ordered)
        {
            if (!string.IsNullOrWhiteSpace(Get(row, "mig_instance_id")))
            {
                CopyInto(row, mig, key);
                CopyInto(row, maxSlices, key);
            }
            else
            {
                CopyInto(row, nonMig, RowMap.RowKey([Get(row, "pod"), Get(row, "namespace"), Get(row, "node")]));
            }

            output.Add(CsvRow.Of(
            [
                .. interval, Get(row, "node"), Get(row, "namespace"), Get(row, "pod"), Get(row, "gpu_uuid"), Get(row, "model_name"),
                Get(row, "vendor_name"), Get(row, "gpu_memory_capacity_mib"), Get(row, "nvidia-gpu-pod-uptime-seconds"),
                Get(row, "nvidia-gpu-max-slices"), Get(row, "mig_instance_id"), Get(row, "mig_profile"), Get(row, "mig_strategy"),
            ]));
        }
    }

    private static void CopyInto(Dictionary<string, string> target, RowMap source, string key)
    {
        if (source.TryGet(key, out var row))
        {
            foreach (var (field, value) in row)
            {
                target[field] = value;
            }
        }
    }

    /// <summary>One ROS window ending at <paramref name="end"/> of one ROS report (§1.3): skipped when the gate returned no namespace.</summary>
    private static void AddRosWindow(ReportKind kind, CompactRows rows, HourSlices slices, DateTimeOffset end, RowMap nodes)
    {
        if (slices.AtInstant("ros-namespace-filter", end).Count == 0)
        {
            return;
        }

        var interval = Interval(end - RosWindow + TimeSpan.FromSeconds(1), end);
        if (kind == ReportKind.RosContainer)
        {
            foreach (var (_, row) in CollectInstant(QuerySet.RosContainer, slices, end).Ordered)
            {
                // The CPU/memory queries set node from `node`, the accelerator queries overwrite it from `Hostname`.
                var node = row.TryGetValue("node", out var name) && nodes.TryGet(name, out var n) ? n : null;
                rows.Add(CsvRow.Of(
                [
                    .. interval, Get(row, "container_name"), Get(row, "pod"), Get(row, "owner_name"), Get(row, "owner_kind"),
                    Get(row, "workload"), Get(row, "workload_type"), Get(row, "namespace"), Get(row, "image_name"),
                    node is null ? "" : Get(node, "node"), node is null ? "" : Get(node, "resource_id"),
                    .. ReportHeaders.RosContainerMetrics.Select(c => Get(row, c.Replace('_', '-'))),
                    Get(row, "accelerator_model_name"), Get(row, "accelerator_profile_name"),
                    .. ReportHeaders.RosAcceleratorMetrics.Select(c => Get(row, c.Replace('_', '-'))),
                ]));
            }

            return;
        }

        foreach (var (_, row) in CollectInstant(QuerySet.RosNamespace, slices, end).Ordered)
        {
            rows.Add(CsvRow.Of(
            [
                .. interval, Get(row, "namespace"), .. ReportHeaders.RosNamespaceMetrics.Select(c => Get(row, RosNamespaceField(c))),
            ]));
        }
    }

    /// <summary>ROS namespace columns are the query names with '_' for '-', except the four pod-count columns.</summary>
    private static string RosNamespaceField(string column) => column switch
    {
        "namespace_running_pods_max" => "pods-running-namespace-max",
        "namespace_running_pods_avg" => "pods-running-namespace-avg",
        "namespace_total_pods_max" => "pods-total-namespace-max",
        "namespace_total_pods_avg" => "pods-total-namespace-avg",
        _ => column.Replace('_', '-'),
    };

    private static RowMap CollectInstant(QuerySet set, HourSlices slices, DateTimeOffset at)
    {
        var map = new RowMap();
        foreach (var query in QueryCatalog.Of(set))
        {
            foreach (var (labels, sample) in slices.AtInstant(query.Name, at))
            {
                map.Apply(query, labels, [sample], TimeSpan.Zero);
            }
        }

        return map;
    }

    /// <summary>
    /// Hands out each query's series hour by hour (cost, as summaries) or instant by instant (ROS), in response order of the
    /// series. Hours and instants are asked for in ascending order, so a cursor per series replaces an index: nothing of
    /// the inputs is copied, which matters for a cluster-day of thousands of pods.
    /// </summary>
    private sealed class HourSlices(IReadOnlyDictionary<string, QueryResult> results, IReadOnlyDictionary<string, IReadOnlyList<HourlySeries>> hourly)
    {
        private readonly Dictionary<string, (IReadOnlyList<HourlySeries> Series, int[] Next)> byHour = new(StringComparer.Ordinal);
        private readonly Dictionary<string, (IReadOnlyList<Series> Series, int[] Next)> byInstant = new(StringComparer.Ordinal);

        public List<(LabelSet Labels, SampleSummary Summary)> InHour(string query, DateTimeOffset hour)
        {
            if (!byHour.TryGetValue(query, out var cursor))
            {
                var series = hourly.TryGetValue(query, out var reduced) ? reduced : HourlySeries.From(Result(query));
                cursor = (series, new int[series.Count]);
                byHour[query] = cursor;
            }

            var key = hour.ToUnixTimeMilliseconds();
            var found = new List<(LabelSet, SampleSummary)>();
            for (var i = 0; i < cursor.Series.Count; i++)
            {
                var hours = cursor.Series[i].Hours;
                ref var next = ref cursor.Next[i];
                while (next < hours.Count && hours[next].Key < key)
                {
                    next++;
                }

                if (next < hours.Count && hours[next].Key == key)
                {
                    found.Add((cursor.Series[i].Labels, hours[next].Value));
                }
            }

            return found;
        }

        public List<(LabelSet Labels, Sample Sample)> AtInstant(string query, DateTimeOffset at)
        {
            if (!byInstant.TryGetValue(query, out var cursor))
            {
                // Prometheus returns samples in time order; a series that is not (a hand-made input) is put in order once.
                var series = Result(query).Series
                    .Select(s => IsInTimeOrder(s.Samples) ? s : s with { Samples = [.. s.Samples.OrderBy(p => p.TimestampMs)] })
                    .ToList();
                cursor = (series, new int[series.Count]);
                byInstant[query] = cursor;
            }

            var key = at.ToUnixTimeMilliseconds();
            var found = new List<(LabelSet, Sample)>();
            for (var i = 0; i < cursor.Series.Count; i++)
            {
                var samples = cursor.Series[i].Samples;
                ref var next = ref cursor.Next[i];
                while (next < samples.Count && samples[next].TimestampMs < key)
                {
                    next++;
                }

                // Several samples at one instant (not from Prometheus) are all handed out, in response order, as an index did.
                for (var j = next; j < samples.Count && samples[j].TimestampMs == key; j++)
                {
                    found.Add((cursor.Series[i].Labels, samples[j]));
                }
            }

            return found;
        }

        private static bool IsInTimeOrder(IReadOnlyList<Sample> samples)
        {
            for (var i = 1; i < samples.Count; i++)
            {
                if (samples[i].TimestampMs < samples[i - 1].TimestampMs)
                {
                    return false;
                }
            }

            return true;
        }

        private QueryResult Result(string query) => results.TryGetValue(query, out var result) ? result : QueryResult.Empty;
    }
}
