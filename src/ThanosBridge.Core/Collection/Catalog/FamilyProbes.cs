namespace ThanosBridge.Core.Collection.Catalog;

/// <summary>
/// A cheap question asked before a family of queries: does the cluster have any series of the metrics every query of the
/// family reads? If not, each of those queries would return nothing and their report would have no row, so they are
/// not sent (on a cluster without GPUs the NVIDIA queries cost a third of Thanos's time and return nothing).
/// </summary>
/// <param name="Name">Used like a query name in logs, metrics and recordings.</param>
/// <param name="Selector">The metrics, as a vector selector; <c>{0}</c> in <see cref="Template"/> takes the window.</param>
/// <param name="Guards">The query sets that are sent only when the probe finds a series.</param>
public sealed record FamilyProbe(string Name, string Selector, IReadOnlySet<QuerySet> Guards)
{
    /// <summary>The probe's PromQL for a window covering everything the guarded queries read.</summary>
    public string Expression(TimeSpan window) =>
        $"count(last_over_time({Selector}[{(long)Math.Ceiling(window.TotalSeconds)}s]))";

    /// <summary>The probe as a catalog query (no value, no rows), so it runs, is recorded and is counted like the others.</summary>
    public QueryDefinition AsQuery(TimeSpan window) => new(Name, QuerySet.Probe, Expression(window), [], [], [], null);
}

/// <summary>The probes in front of the query families a cluster may not have.</summary>
public static class FamilyProbes
{
    /// <summary>GPU rows come only from the utilization set, which reads <c>DCGM_FI_PROF_GR_ENGINE_ACTIVE{UUID!=''}</c> (§2.6).</summary>
    public static FamilyProbe NvidiaGpu { get; } = new("probe-nvidia-dcgm", "DCGM_FI_PROF_GR_ENGINE_ACTIVE{UUID!=''}",
        new HashSet<QuerySet> { QuerySet.GpuMigCapacity, QuerySet.GpuNonMigCapacity, QuerySet.GpuUtilization, QuerySet.GpuMaxSlices });

    /// <summary>Every VM query reads a <c>kubevirt_</c> metric (§2.5).</summary>
    public static FamilyProbe KubeVirt { get; } = new("probe-kubevirt", "{__name__=~'kubevirt_.+'}",
        new HashSet<QuerySet> { QuerySet.VirtualMachine });

    public static IReadOnlyList<FamilyProbe> All { get; } = [NvidiaGpu, KubeVirt];
}
