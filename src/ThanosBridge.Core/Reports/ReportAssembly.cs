using System.Collections.Concurrent;
using ThanosBridge.Core.Collection.Catalog;
using ThanosBridge.Core.Csv;

namespace ThanosBridge.Core.Reports;

/// <summary>
/// Builds a cluster-day's reports one at a time, each as soon as the answers it is made of are in, so that a collector can
/// drop those answers and keep only the compact rows: a run then holds the answers of the reports still being collected,
/// not of all of them. The node answers come first (they decide the hours and join into pod and ROS rows). Reports may
/// be added from several threads, each once; <see cref="ReportBuilder.Build"/> adds them all from one set of inputs.
/// </summary>
public sealed class ReportAssembly
{
    private static readonly Dictionary<ReportKind, IReadOnlySet<QuerySet>> Sets = new()
    {
        [ReportKind.Node] = new HashSet<QuerySet> { QuerySet.Node },
        [ReportKind.Pod] = new HashSet<QuerySet> { QuerySet.Pod },
        [ReportKind.Storage] = new HashSet<QuerySet> { QuerySet.Storage },
        [ReportKind.VirtualMachine] = new HashSet<QuerySet> { QuerySet.VirtualMachine },
        [ReportKind.Namespace] = new HashSet<QuerySet> { QuerySet.Namespace },
        [ReportKind.NvidiaGpu] = new HashSet<QuerySet>
            { QuerySet.GpuMigCapacity, QuerySet.GpuNonMigCapacity, QuerySet.GpuUtilization, QuerySet.GpuMaxSlices },
        [ReportKind.RosContainer] = new HashSet<QuerySet> { QuerySet.RosGate, QuerySet.RosContainer },
        [ReportKind.RosNamespace] = new HashSet<QuerySet> { QuerySet.RosGate, QuerySet.RosNamespace },
    };

    private readonly DateTimeOffset month;
    private readonly bool rosEnabled;
    private readonly List<(DateTimeOffset Hour, RowMap Nodes)> nodeHours;
    private readonly ConcurrentDictionary<ReportKind, CompactRows> built = new();

    /// <param name="nodes">The requested hours, step and ROS switch, and at least the node queries' answers.</param>
    public ReportAssembly(ReportInputs nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        if (nodes.Hours.Count == 0)
        {
            throw new ArgumentException("at least one hour is needed", nameof(nodes));
        }

        if (nodes.Hours.Zip(nodes.Hours.Skip(1)).Any(p => p.Second <= p.First))
        {
            throw new ArgumentException("the hours must be ascending and distinct", nameof(nodes));
        }

        month = nodes.Hours[0];
        rosEnabled = nodes.RosEnabled;
        nodeHours = NodeReport.Hours(nodes);
    }

    /// <summary>The hours that had node data; the others are in no report.</summary>
    public IReadOnlyList<DateTimeOffset> HoursWithData => [.. nodeHours.Select(n => n.Hour)];

    /// <summary>The query sets a report is made of (with the node answers given at construction).</summary>
    public static IReadOnlySet<QuerySet> SetsOf(ReportKind kind) => Sets[kind];

    /// <summary>Builds <paramref name="kind"/> from the answers of its sets in <paramref name="inputs"/>; they are not needed afterwards.</summary>
    public void Add(ReportKind kind, ReportInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var rows = new CompactRows();
        ReportBuilder.AddRows(kind, rows, inputs with { RosEnabled = rosEnabled }, nodeHours);
        if (!built.TryAdd(kind, rows))
        {
            throw new InvalidOperationException($"the {kind} report was built twice");
        }
    }

    /// <summary>
    /// The reports: the six cost CSVs always (header-only where no answer was added, §3.1), the ROS CSVs where a window
    /// passed the gate.
    /// </summary>
    public ReportSet Finish()
    {
        var tables = new List<CsvTable>();
        foreach (var kind in Enum.GetValues<ReportKind>())
        {
            var rows = built.GetValueOrDefault(kind) ?? new CompactRows();
            if (kind.IsResourceOptimization() && rows.Count == 0)
            {
                continue;
            }

            tables.Add(new CsvTable(kind, kind.FileName(month), ReportHeaders.For(kind), rows));
        }

        return new ReportSet(tables, HoursWithData);
    }
}
