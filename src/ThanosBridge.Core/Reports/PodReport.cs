using ThanosBridge.Core.Csv;
using static ThanosBridge.Core.Reports.ReportRows;

namespace ThanosBridge.Core.Reports;

/// <summary>Builds CMMO's pod report, <c>cm-openshift-pod-usage-YYYYMM.csv</c>.</summary>
internal static class PodReport
{
    /// <summary>
    /// Pod rows take node, capacity, role and resource_id from the node row of the pod's node; a pod whose node has no
    /// node row gets all seven empty, even when the pod series carried a node label (gotcha 4).
    /// </summary>
    public static void AddRows(CompactRows output, string[] interval, RowMap pods, RowMap nodes)
    {
        foreach (var (_, row) in pods.Ordered)
        {
            var node = NodeOf(row, nodes);
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
}
