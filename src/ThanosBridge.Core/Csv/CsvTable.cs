using ThanosBridge.Core.Reports;

namespace ThanosBridge.Core.Csv;

/// <summary>
/// One report's CSV for one payload: the exact header and the rows (already formatted strings), in the order
/// they are written. <see cref="FileName"/> is CMMO's name, e.g. <c>cm-openshift-pod-usage-202611.csv</c>.
/// </summary>
public sealed record CsvTable(ReportKind Kind, string FileName, IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows);
