using ThanosBridge.Core.Collection.Catalog;
using ThanosBridge.Core.Csv;
using static ThanosBridge.Core.Reports.ReportRows;

namespace ThanosBridge.Core.Reports;

/// <summary>Builds CMMO's NVIDIA GPU report, <c>cm-openshift-nvidia-gpu-usage-YYYYMM.csv</c>.</summary>
internal static class NvidiaGpuReport
{
    /// <summary>
    /// §2.6 merge: rows come only from the utilization set. A row with a non-blank GPU_I_ID (including "0") is MIG and
    /// takes the MIG-capacity and max-slices rows of the same key; otherwise the non-MIG capacity row keyed by pod,
    /// namespace and node. Capacity or max-slices rows without a utilization row are dropped.
    /// </summary>
    public static void AddRows(CompactRows output, string[] interval, HourSlices slices, DateTimeOffset hour, TimeSpan step)
    {
        var utilization = slices.Collect(QuerySet.GpuUtilization, hour, step);
        if (utilization.IsEmpty)
        {
            return;
        }

        var mig = slices.Collect(QuerySet.GpuMigCapacity, hour, step);
        var nonMig = slices.Collect(QuerySet.GpuNonMigCapacity, hour, step);
        var maxSlices = slices.Collect(QuerySet.GpuMaxSlices, hour, step);
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
}
