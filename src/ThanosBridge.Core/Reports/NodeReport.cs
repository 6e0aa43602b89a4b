using ThanosBridge.Core.Collection.Catalog;
using ThanosBridge.Core.Csv;
using static ThanosBridge.Core.Reports.ReportRows;

namespace ThanosBridge.Core.Reports;

/// <summary>Builds CMMO's node report, <c>cm-openshift-node-usage-YYYYMM.csv</c>, and the node rows the other reports join.</summary>
internal static class NodeReport
{
    /// <summary>The requested hours that have node data, each with its node rows (an hour without is left out of every report, §1.6).</summary>
    public static List<(DateTimeOffset Hour, RowMap Nodes)> Hours(ReportInputs inputs)
    {
        var slices = new HourSlices(inputs.Results, inputs.Hourly);
        var hours = new List<(DateTimeOffset, RowMap)>();
        foreach (var hour in inputs.Hours)
        {
            var nodes = slices.Collect(QuerySet.Node, hour, inputs.Step);
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

    public static void AddRows(CompactRows output, string[] interval, RowMap nodes)
    {
        foreach (var (_, row) in nodes.Ordered)
        {
            output.Add(CsvRow.Of([.. interval, Get(row, "node"), Get(row, "node_labels")]));
        }
    }
}
