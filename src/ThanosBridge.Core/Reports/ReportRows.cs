using ThanosBridge.Core.Collection.Catalog;
using ThanosBridge.Core.Collection.Prometheus;
using ThanosBridge.Core.Csv;

namespace ThanosBridge.Core.Reports;

/// <summary>What the per-report builders share: the hour and ROS window, report intervals, field reads and the node join.</summary>
internal static class ReportRows
{
    public static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    public static readonly TimeSpan RosWindow = TimeSpan.FromMinutes(15);

    /// <summary>The suffix of a provider id after its last '/' (§3.7).</summary>
    public static string ResourceId(string? providerId)
    {
        if (string.IsNullOrEmpty(providerId))
        {
            return "";
        }

        var slash = providerId.LastIndexOf('/');
        return slash < 0 ? providerId : providerId[(slash + 1)..];
    }

    public static string[] Interval(DateTimeOffset start, DateTimeOffset end) =>
    [
        CsvFormat.ReportPeriodStart(start), CsvFormat.ReportPeriodEnd(start), CsvFormat.Timestamp(start), CsvFormat.Timestamp(end),
    ];

    public static string Get(Dictionary<string, string> row, string field) => row.GetValueOrDefault(field, "");

    /// <summary>The node row of the row's <c>node</c> field, or null when that node has no node row (gotcha 4).</summary>
    public static Dictionary<string, string>? NodeOf(Dictionary<string, string> row, RowMap nodes) =>
        row.TryGetValue("node", out var name) && nodes.TryGet(name, out var n) ? n : null;

    /// <summary>
    /// The ROS windows of <paramref name="hour"/>, each by its end and interval, that passed the gate (§1.3): a window
    /// whose <c>ros-namespace-filter</c> returned no namespace is skipped.
    /// </summary>
    public static IEnumerable<(DateTimeOffset End, string[] Interval)> RosWindows(HourSlices slices, DateTimeOffset hour)
    {
        for (var end = hour + RosWindow; end <= hour + Hour; end += RosWindow)
        {
            if (slices.AtInstant("ros-namespace-filter", end).Count == 0)
            {
                continue;
            }

            yield return (end, Interval(end - RosWindow + TimeSpan.FromSeconds(1), end));
        }
    }
}
