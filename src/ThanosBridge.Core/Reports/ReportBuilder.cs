using ThanosBridge.Core.Collection.Catalog;
using ThanosBridge.Core.Collection.Prometheus;
using ThanosBridge.Core.Csv;

namespace ThanosBridge.Core.Reports;

/// <summary>What the reports were built from: one cluster's catalog results over consecutive whole UTC hours.</summary>
/// <param name="Hours">The start of every hour to report, ascending, all in one UTC day.</param>
/// <param name="Step">The range-query step of the cost queries (Bridge decision g).</param>
/// <param name="Results">Query name → matrix; a missing name means an empty result.</param>
/// <param name="RosEnabled">Whether the two resource-optimization reports are built.</param>
public sealed record ReportInputs(
    IReadOnlyList<DateTimeOffset> Hours,
    TimeSpan Step,
    IReadOnlyDictionary<string, QueryResult> Results,
    bool RosEnabled)
{
    /// <summary>
    /// Cost queries already reduced to hourly summaries (the collector reduces each answer as it arrives, so a cluster-day
    /// never holds every sample); a query named here is not read from <see cref="Results"/>.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<HourlySeries>> Hourly { get; init; } =
        new Dictionary<string, IReadOnlyList<HourlySeries>>(StringComparer.Ordinal);
}

/// <summary>The reports of one cluster-day and what went into them.</summary>
/// <param name="Tables">The six cost CSVs (always, possibly header-only) and the ROS CSVs that have rows.</param>
/// <param name="HoursWithData">The hours that had node data; an hour without is left out of every report (§1.6).</param>
public sealed record ReportSet(IReadOnlyList<CsvTable> Tables, IReadOnlyList<DateTimeOffset> HoursWithData)
{
    public CsvTable this[ReportKind kind] => Tables.First(t => t.Kind == kind);

    public bool Has(ReportKind kind) => Tables.Any(t => t.Kind == kind);

    /// <summary>Which series the request and limit queries read (<see cref="PodResourceSupply"/>); null when the probe was not asked (no node data).</summary>
    public IReadOnlyDictionary<PodResourceFamily, PodResourceSource>? PodResources { get; init; }
}

/// <summary>
/// Builds CMMO's eight reports from range-query matrices (cmmo-output.md §1.5, §1.6, §2, §3), one class a report
/// (<see cref="NodeReport"/>, <see cref="PodReport"/>, …). One matrix per query covers all hours; samples are split into
/// hours here. ROS queries were evaluated every 15 minutes (Bridge decision h), so each ROS sample is one window, gated
/// by that window's <c>ros-namespace-filter</c> result.
/// </summary>
public static class ReportBuilder
{
    public static ReportSet Build(ReportInputs inputs)
    {
        var assembly = new ReportAssembly(inputs);
        foreach (var kind in Enum.GetValues<ReportKind>())
        {
            assembly.Add(kind, inputs);
        }

        return assembly.Finish();
    }

    /// <summary>The rows of one report, hour by hour (ROS: window by window), from the answers of its query sets in <paramref name="inputs"/>.</summary>
    internal static void AddRows(
        ReportKind kind, CompactRows rows, ReportInputs inputs, IReadOnlyList<(DateTimeOffset Hour, RowMap Nodes)> nodeHours)
    {
        var slices = new HourSlices(inputs.Results, inputs.Hourly);
        foreach (var (hour, nodes) in nodeHours)
        {
            var interval = ReportRows.Interval(hour, hour + ReportRows.Hour - TimeSpan.FromSeconds(1));
            switch (kind)
            {
                case ReportKind.Node:
                    NodeReport.AddRows(rows, interval, nodes);
                    break;
                case ReportKind.Pod:
                    PodReport.AddRows(rows, interval, slices.Collect(QuerySet.Pod, hour, inputs.Step), nodes);
                    break;
                case ReportKind.Storage:
                    StorageReport.AddRows(rows, interval, slices.Collect(QuerySet.Storage, hour, inputs.Step));
                    break;
                case ReportKind.VirtualMachine:
                    VirtualMachineReport.AddRows(rows, interval, slices.Collect(QuerySet.VirtualMachine, hour, inputs.Step));
                    break;
                case ReportKind.Namespace:
                    NamespaceReport.AddRows(rows, interval, slices.Collect(QuerySet.Namespace, hour, inputs.Step));
                    break;
                case ReportKind.NvidiaGpu:
                    NvidiaGpuReport.AddRows(rows, interval, slices, hour, inputs.Step);
                    break;
                case ReportKind.RosContainer when inputs.RosEnabled:
                    RosContainerReport.AddRows(rows, slices, hour, nodes);
                    break;
                case ReportKind.RosNamespace when inputs.RosEnabled:
                    RosNamespaceReport.AddRows(rows, slices, hour);
                    break;
            }
        }
    }
}
