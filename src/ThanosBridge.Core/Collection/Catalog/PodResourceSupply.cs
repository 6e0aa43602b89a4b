using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Globalization;
using ThanosBridge.Core.Collection.Prometheus;
using ThanosBridge.Core.Collection.Promql;

namespace ThanosBridge.Core.Collection.Catalog;

/// <summary>The two per-pod families CMMO's request and limit queries read (cmmo-output.md §2.2, §2.8).</summary>
public enum PodResourceFamily
{
    /// <summary><c>kube_pod_container_resource_requests</c>.</summary>
    Requests,

    /// <summary><c>kube_pod_container_resource_limits</c>.</summary>
    Limits,
}

/// <summary>Which series a cluster-day's request or limit queries read.</summary>
public enum PodResourceSource
{
    /// <summary>The raw kube-state-metrics series, forwarded by the collector's allowlist.</summary>
    Raw,

    /// <summary>
    /// The series of the bridge's recording rules (chart value <c>hubMetrics.allowlist</c> or <c>hubMetrics.mcoa</c>):
    /// the same values under the bridge's own names, which MCO's single-node collect rule does not withhold.
    /// </summary>
    Recorded,

    /// <summary>Neither is on the hub: the request or limit columns stay empty (Bridge decision i).</summary>
    Missing,
}

/// <summary>
/// Per-pod requests and limits on the hub. MCO's default allowlist forwards the raw series, except on single-node
/// clusters, where its <c>SNOResourceUsage</c> collect rule forwards them only while CPU or memory is above 70 %. The
/// chart's allowlist adds recording rules that forward the same series under names of the bridge's own, which the
/// collect rule does not know. Per cluster-day one probe counts the samples of both; the queries then read the source
/// with more of them (raw on a tie), the recorded names spliced into their selectors.
/// </summary>
public static class PodResourceSupply
{
    /// <summary>The labels the recording rules keep: every label CMMO's queries filter, join or group on, and <c>uid</c>, so two pods of one name never merge.</summary>
    public static IReadOnlyList<string> RecordedLabels { get; } = ["namespace", "pod", "uid", "container", "node", "resource", "unit"];

    public static IReadOnlyList<PodResourceFamily> Families { get; } = [PodResourceFamily.Requests, PodResourceFamily.Limits];

    /// <summary>The probe's name in logs, metrics and recordings, like a query name.</summary>
    public const string ProbeName = "probe-pod-resources";

    public static string RawName(PodResourceFamily family) => family switch
    {
        PodResourceFamily.Requests => "kube_pod_container_resource_requests",
        PodResourceFamily.Limits => "kube_pod_container_resource_limits",
        _ => throw new ArgumentOutOfRangeException(nameof(family)),
    };

    /// <summary>The recording rule's name: <c>level:metric:operation</c>, the level being the bridge.</summary>
    public static string RecordedName(PodResourceFamily family) => $"thanos_bridge:{RawName(family)}:max";

    /// <summary>
    /// The recording rule's expression: one series per container and resource with the labels of
    /// <see cref="RecordedLabels"/> (max only merges duplicates that differ in the scrape's own labels).
    /// </summary>
    public static string RecordingExpression(PodResourceFamily family) =>
        $"max by ({string.Join(", ", RecordedLabels)}) ({RawName(family)})";

    /// <summary>Whether a query reads a family, i.e. whether the supply decides what it reads.</summary>
    public static bool Reads(QueryDefinition query)
    {
        ArgumentNullException.ThrowIfNull(query);
        // Asked for every catalog query of every cluster-day: each expression is parsed once per process.
        return ReadsByExpression.GetOrAdd(query.Expression, static e => PromqlParser.Parse(e).DescendantsAndSelf().OfType<VectorSelector>()
            .Any(s => s.MetricName is { } name && RawNames.Contains(name)));
    }

    private static readonly FrozenSet<string> RawNames = Families.Select(RawName).ToFrozenSet(StringComparer.Ordinal);

    private static readonly ConcurrentDictionary<string, bool> ReadsByExpression = new(StringComparer.Ordinal);

    /// <summary>
    /// The probe: one series per family and source with its number of samples in <paramref name="window"/> (none when
    /// there is no sample), so the decision sees whether a source covers the whole day or, as the single-node collect
    /// rule leaves the raw series, only part of it.
    /// </summary>
    public static QueryDefinition Probe(TimeSpan window)
    {
        var seconds = ((long)Math.Ceiling(window.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        var branches = Families.SelectMany(f => new[] { (f, PodResourceSource.Raw, RawName(f)), (f, PodResourceSource.Recorded, RecordedName(f)) })
            .Select(b => $"label_replace(label_replace(sum(count_over_time({b.Item3}[{seconds}s])), " +
                $"'family', '{Label(b.f)}', '', ''), 'source', '{Label(b.Item2)}', '', '')");
        return new QueryDefinition(ProbeName, QuerySet.Probe, string.Join(" or ", branches), [], [], [], null);
    }

    /// <summary>The sources chosen from the probe's answer: more recorded samples than raw ones means recorded.</summary>
    public static IReadOnlyDictionary<PodResourceFamily, PodResourceSource> Decide(QueryResult probeAnswer)
    {
        ArgumentNullException.ThrowIfNull(probeAnswer);
        double Samples(PodResourceFamily family, PodResourceSource source) => probeAnswer.Series
            .Where(s => s.Labels["family"] == Label(family) && s.Labels["source"] == Label(source))
            .Select(s => s.Samples.Count > 0 ? s.Samples[^1].Value : 0)
            .DefaultIfEmpty(0)
            .Max();
        return Families.ToDictionary(f => f, f => Choose(Samples(f, PodResourceSource.Raw), Samples(f, PodResourceSource.Recorded)));
    }

    /// <summary>
    /// Raw unless the recorded series have more samples: on an ordinary cluster both are complete and raw stays, on a
    /// single-node cluster the raw series exist only while the collect rule fires and the recorded ones win.
    /// </summary>
    public static PodResourceSource Choose(double rawSamples, double recordedSamples) =>
        recordedSamples > rawSamples ? PodResourceSource.Recorded
        : rawSamples > 0 ? PodResourceSource.Raw
        : PodResourceSource.Missing;

    /// <summary>A query's expression reading the chosen sources: each recorded family's raw name replaced by its recorded name.</summary>
    public static string ReadFrom(string expression, IReadOnlyDictionary<PodResourceFamily, PodResourceSource>? sources)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var renames = Families.Where(f => sources?.GetValueOrDefault(f) == PodResourceSource.Recorded)
            .ToDictionary(RawName, RecordedName, StringComparer.Ordinal);
        return renames.Count == 0 ? expression : MetricNameRewriter.Rename(expression, renames);
    }

    /// <summary>The label value of a family (and of the metric <c>thanos_bridge_pod_resources_source</c>).</summary>
    public static string Label(PodResourceFamily family) => family == PodResourceFamily.Requests ? "requests" : "limits";

    /// <summary>The label value of a source.</summary>
    public static string Label(PodResourceSource source) => source switch
    {
        PodResourceSource.Raw => "raw",
        PodResourceSource.Recorded => "recorded",
        _ => "missing",
    };
}
