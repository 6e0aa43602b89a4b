using ThanosBridge.Core.Collection.Catalog;
using ThanosBridge.Core.Csv;
using static ThanosBridge.Core.Reports.ReportRows;

namespace ThanosBridge.Core.Reports;

/// <summary>Builds CMMO's ROS container report, <c>ros-openshift-container-YYYYMM.csv</c>.</summary>
internal static class RosContainerReport
{
    /// <summary>The rows of the ROS windows of <paramref name="hour"/> that passed the gate (§1.3).</summary>
    public static void AddRows(CompactRows rows, HourSlices slices, DateTimeOffset hour, RowMap nodes)
    {
        foreach (var (end, interval) in RosWindows(slices, hour))
        {
            foreach (var (_, row) in slices.CollectInstant(QuerySet.RosContainer, end).Ordered)
            {
                // The CPU/memory queries set node from `node`, the accelerator queries overwrite it from `Hostname`.
                var node = NodeOf(row, nodes);
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
        }
    }
}
