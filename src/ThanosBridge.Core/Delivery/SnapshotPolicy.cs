using System.Globalization;
using ThanosBridge.Core.Csv;
using ThanosBridge.Core.Discovery;
using ThanosBridge.Core.Reports;

namespace ThanosBridge.Core.Delivery;

/// <summary>What a new snapshot of a cluster-day claims and where its parts are stored: the rules koku's ingestion sets.</summary>
public static class SnapshotPolicy
{
    /// <summary>
    /// Whether collected hours make a snapshot at all: some hour with node data and some pod row. Without pods koku has
    /// nothing to bill, and a snapshot would only claim hours a fuller one must then exceed.
    /// </summary>
    public static bool HasBillableData(IReadOnlyCollection<DateTimeOffset> hoursWithData, IEnumerable<CsvTable> tables) =>
        hoursWithData.Count > 0 && tables.Any(t => t.Kind == ReportKind.Pod && t.Rows.Count > 0);

    /// <summary>
    /// The hours a snapshot claims: 00:00 up to the last hour with node data. koku records the claimed hours, and a
    /// snapshot that overstates them blocks every fuller snapshot of the day (koku-ingestion.md §7 gotcha 12); missing
    /// tail hours (a lagging hub) are queried again by the next run.
    /// </summary>
    public static int ClaimedHours(DateTimeOffset dayStart, IEnumerable<DateTimeOffset> hoursWithData) =>
        (int)(hoursWithData.Max() - dayStart).TotalHours + 1;

    /// <summary>The S3 key of a payload part: <c>&lt;prefix&gt;/&lt;cluster id&gt;/&lt;YYYY-MM-DD&gt;/&lt;file name&gt;</c>.</summary>
    public static string ObjectKey(string prefix, ClusterId clusterId, DateOnly day, string fileName) =>
        $"{prefix.TrimEnd('/')}/{clusterId}/{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}/{fileName}";
}
