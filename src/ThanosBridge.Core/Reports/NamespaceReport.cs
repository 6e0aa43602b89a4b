using ThanosBridge.Core.Csv;
using static ThanosBridge.Core.Reports.ReportRows;

namespace ThanosBridge.Core.Reports;

/// <summary>Builds CMMO's namespace report, <c>cm-openshift-namespace-usage-YYYYMM.csv</c>.</summary>
internal static class NamespaceReport
{
    public static void AddRows(CompactRows output, string[] interval, RowMap namespaces)
    {
        foreach (var (_, row) in namespaces.Ordered)
        {
            output.Add(CsvRow.Of([.. interval, Get(row, "namespace"), Get(row, "namespace_labels")]));
        }
    }
}
