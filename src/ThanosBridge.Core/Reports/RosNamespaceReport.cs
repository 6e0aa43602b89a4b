using ThanosBridge.Core.Collection.Catalog;
using ThanosBridge.Core.Csv;
using static ThanosBridge.Core.Reports.ReportRows;

namespace ThanosBridge.Core.Reports;

/// <summary>Builds CMMO's ROS namespace report, <c>ros-openshift-namespace-YYYYMM.csv</c>.</summary>
internal static class RosNamespaceReport
{
    /// <summary>The rows of the ROS windows of <paramref name="hour"/> that passed the gate (§1.3).</summary>
    public static void AddRows(CompactRows rows, HourSlices slices, DateTimeOffset hour)
    {
        foreach (var (end, interval) in RosWindows(slices, hour))
        {
            foreach (var (_, row) in slices.CollectInstant(QuerySet.RosNamespace, end).Ordered)
            {
                rows.Add(CsvRow.Of(
                [
                    .. interval, Get(row, "namespace"), .. ReportHeaders.RosNamespaceMetrics.Select(c => Get(row, RosNamespaceField(c))),
                ]));
            }
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
}
