using ThanosBridge.Core.Csv;

namespace ThanosBridge.Core.Reports;

/// <summary>
/// Builds a day's next cumulative snapshot from the previous snapshot's tables plus the reports of the new hours,
/// so that in steady state every hour of every query is fetched from Thanos once (CMMO appends to its day files the
/// same way).
/// </summary>
public static class SnapshotMerger
{
    /// <summary>
    /// The merged tables, or null when the previous tables cannot be extended (a header differs, e.g. after an upgrade
    /// that changed a report): then the whole day must be collected again.
    /// </summary>
    public static IReadOnlyList<CsvTable>? Merge(IReadOnlyList<CsvTable> previous, ReportSet added)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(added);
        var merged = new List<CsvTable>();
        foreach (var kind in Enum.GetValues<ReportKind>())
        {
            var header = ReportHeaders.For(kind);
            var old = previous.FirstOrDefault(t => t.Kind == kind);
            if (old is not null && !old.Header.SequenceEqual(header, StringComparer.Ordinal))
            {
                return null;
            }

            var fresh = added.Tables.FirstOrDefault(t => t.Kind == kind);
            var rows = new CompactRows();
            rows.AddRange(old?.Rows ?? []);
            rows.AddRange(fresh?.Rows ?? []);
            if (kind.IsResourceOptimization() && rows.Count == 0)
            {
                continue;
            }

            var fileName = fresh?.FileName ?? old?.FileName ?? throw new InvalidOperationException($"no {kind} table to merge");
            merged.Add(new CsvTable(kind, fileName, header, rows));
        }

        return merged;
    }
}
