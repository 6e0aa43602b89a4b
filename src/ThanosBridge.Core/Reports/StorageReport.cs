using ThanosBridge.Core.Csv;
using static ThanosBridge.Core.Reports.ReportRows;

namespace ThanosBridge.Core.Reports;

/// <summary>Builds CMMO's storage report, <c>cm-openshift-storage-usage-YYYYMM.csv</c>.</summary>
internal static class StorageReport
{
    public static void AddRows(CompactRows output, string[] interval, RowMap volumes)
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
}
