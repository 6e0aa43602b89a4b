namespace ThanosBridge.Core.Collection.Catalog;

/// <summary>How CMMO turns a series' samples into one value (cmmo-output.md §1.4).</summary>
public enum ValueMethod
{
    /// <summary>Σ samples; its seconds form is Σ × step (an integral over the hour).</summary>
    Sum,

    /// <summary>max(samples); its seconds form is max × step × number of samples.</summary>
    Max,

    /// <summary>min(samples); never used with a seconds form.</summary>
    Min,

    /// <summary>Σ/n; never used with a seconds form.</summary>
    Avg,

    /// <summary>ROS: the sample value of one 15-minute window as is.</summary>
    Instant,
}

/// <summary>Which part of a report a query feeds; queries of one set write into one row map.</summary>
public enum QuerySet
{
    Node,
    Pod,
    Storage,
    Namespace,
    VirtualMachine,
    GpuMigCapacity,
    GpuNonMigCapacity,
    GpuUtilization,
    GpuMaxSlices,
    RosGate,
    RosContainer,
    RosNamespace,

    /// <summary>A <see cref="FamilyProbe"/>: asks whether a family's metrics exist; feeds no report.</summary>
    Probe,
}

/// <summary>
/// Where a query's value goes: the plain value into <see cref="ValueField"/> and the step-based seconds form
/// into <see cref="SecondsField"/>; either may be absent.
/// </summary>
public sealed record ValueSpec(ValueMethod Method, string? ValueField, string? SecondsField);

/// <summary>A label copied into a row field (<c>MetricKey</c> in CMMO).</summary>
public sealed record LabelField(string Field, string Label);

/// <summary>A field holding the label string of every label whose name matches <see cref="Pattern"/> (§3.6).</summary>
public sealed record LabelRegexField(string Field, string Pattern);

/// <summary>
/// How a rate query is evaluated on forwarded (hub) samples: the counter itself per series, integrated from its increases
/// between samples and summed by <see cref="GroupBy"/> locally (docs/accuracy.md), instead of a windowed <c>rate</c>.
/// </summary>
/// <param name="Expression">The counter per series, with the query's filters and joins but no <c>rate</c> and no aggregation.</param>
/// <param name="GroupBy">The labels of the query's <c>sum by</c>.</param>
public sealed record CounterForm(string Expression, IReadOnlyList<string> GroupBy);

/// <summary>
/// One CMMO query: its CMMO name, the PromQL the bridge sends (before the cluster matcher is injected), and how
/// its series become row fields (cmmo-output.md §1.5).
/// </summary>
public sealed record QueryDefinition(
    string Name,
    QuerySet Set,
    string Expression,
    IReadOnlyList<string> RowKey,
    IReadOnlyList<LabelField> LabelFields,
    IReadOnlyList<LabelRegexField> RegexFields,
    ValueSpec? Value)
{
    /// <summary>Set for the rate queries whose counters are integrated from their increases on forwarded samples.</summary>
    public CounterForm? Counter { get; init; }

    /// <summary>
    /// Set for the ROS queries whose every series passes the join with the gate's namespace filter and whose aggregations
    /// keep <c>namespace</c>: they can answer only for namespaces the gate returned, so their selectors are narrowed to
    /// those namespaces (<see cref="Promql.ClusterLabelInjector.NarrowTo"/>) and the server reads no other series.
    /// </summary>
    public bool OnlyGateNamespaces { get; init; }

    /// <summary>ROS queries are evaluated at the end of each 15-minute window; cost queries every step.</summary>
    public bool IsRos => Set is QuerySet.RosGate or QuerySet.RosContainer or QuerySet.RosNamespace;
}
