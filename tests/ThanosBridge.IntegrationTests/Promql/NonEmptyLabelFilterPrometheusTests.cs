using System.Globalization;
using System.Text;
using ThanosBridge.Adapters.Thanos;
using ThanosBridge.Core.Collection;
using ThanosBridge.Core.Collection.Catalog;
using ThanosBridge.Core.Collection.Prometheus;
using ThanosBridge.Core.Collection.Promql;
using ThanosBridge.Core.Discovery;

namespace ThanosBridge.IntegrationTests.Promql;

/// <summary>
/// Moving <c>pod!=''</c> out of the selectors must not change a single answer. The demo data has no series without a pod
/// where the catalog asks for one, so this test writes its own day into a real Prometheus (promtool, as a hub's blocks):
/// every metric the catalog reads, with every value its equality matchers ask for, and each such series also without a
/// pod label (and with its join partners also without one, so that an unfiltered query would return them). Every query
/// the rewrite changes is sent as planned and as CMMO wrote it: same series, same samples, bit for bit; and dropping
/// <c>pod!=''</c> altogether changes most of those answers, so the data does exercise the filter.
/// </summary>
public sealed class NonEmptyLabelFilterPrometheusTests : IAsyncLifetime
{
    private static readonly ClusterId Cluster = ClusterId.Parse("0b7e3c9a-5d2f-4e61-9a8b-1c2d3e4f5a6b");
    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
    private PromtoolPrometheus? prometheus;

    [Fact]
    public async Task EveryQueryWithPodNotEmpty_AnswersExactlyAsCmmoWroteIt()
    {
        var ct = TestContext.Current.CancellationToken;
        var request = new CollectionRequest(Cluster, "clusterID", Day, 24, TimeSpan.FromSeconds(300), RosEnabled: true);
        var options = new ThanosClientOptions { BaseUrl = prometheus!.Url };
        using var http = ThanosHttpClientFactory.CreateHttpClient(options);
        var client = new ThanosQueryClient(http, options, TimeProvider.System);
        Task<QueryResult> Ask(string name, string expression, QueryRange range) => client.QueryRangeAsync(new QueryRangeRequest(name, Cluster,
            ClusterLabelInjector.Inject(expression, "clusterID", Cluster), range.Start, range.End, range.Step, range.Lookback), ct);

        (await Ask("pod-less", "count({pod=''})", new QueryRange(Day, Day, TimeSpan.FromSeconds(300)))).Series.ShouldNotBeEmpty();
        int compared = 0, answered = 0, filtered = 0;
        foreach (var query in QueryCatalog.All)
        {
            var planned = ReportCollector.Plan(query, request);
            // As CMMO wrote it, reading MCO's renamed names where CMMO's are absent (HubRenames).
            var written = HubRenames.ReadFrom(query.Counter is { } counter && !query.IsRos ? counter.Expression : query.Expression);
            if (planned.Expression == written)
            {
                continue;   // nothing moved (NonEmptyLabelFilterTests lists where pod!='' stays)
            }

            planned.Expression.ShouldBe(NonEmptyLabelFilter.Hoist(written, "pod"), query.Name);
            var cmmo = Canonical(await Ask(query.Name, written, planned.Range));
            Canonical(await Ask(query.Name, planned.Expression, planned.Range)).ShouldBe(cmmo, query.Name);
            var unfiltered = Canonical(await Ask(query.Name, written.Replace("pod!='',", "", StringComparison.Ordinal)
                .Replace(", pod!=''", "", StringComparison.Ordinal).Replace("pod!=''", "", StringComparison.Ordinal), planned.Range));
            compared++;
            answered += cmmo.Count > 0 ? 1 : 0;
            filtered += unfiltered.SequenceEqual(cmmo) ? 0 : 1;
        }

        compared.ShouldBeGreaterThan(30, "the cost, counter and ROS queries whose pod!='' moves");
        answered.ShouldBeGreaterThan(compared * 3 / 4, "most compared queries return series on this data");
        filtered.ShouldBeGreaterThan(compared / 2, "without pod!='' most answers change: the pod-less series reach them");
    }

    public async ValueTask InitializeAsync() => prometheus = await PromtoolPrometheus.StartAsync(OpenMetrics(), TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (prometheus is not null)
        {
            await prometheus.DisposeAsync();
        }
    }

    /// <summary>
    /// 5-minute samples from 22:00 the day before to 02:00 the day after for every metric the catalog reads: the labels
    /// every query groups or joins on, each combination of the values its equality matchers ask for, and a copy without
    /// a pod label of every series of a metric read with <c>pod!=''</c> or joined on pod.
    /// </summary>
    private static string OpenMetrics()
    {
        var equalities = new Dictionary<string, Dictionary<string, SortedSet<string>>>(StringComparer.Ordinal);
        var withPodFilter = new HashSet<string>(StringComparer.Ordinal) { "kube_pod_status_phase", "kube_pod_container_info", "kube_pod_info" };
        foreach (var query in QueryCatalog.All)
        {
            foreach (var expression in new[] { query.Expression, query.Counter?.Expression }.OfType<string>())
            {
                foreach (var selector in PromqlParser.Parse(expression).DescendantsAndSelf().OfType<VectorSelector>().Where(s => s.MetricName is not null))
                {
                    var labels = equalities.TryGetValue(selector.MetricName!, out var l) ? l : equalities[selector.MetricName!] = new(StringComparer.Ordinal);
                    foreach (var m in selector.Matchers.Where(m => m.Operator == LabelMatchOperator.Equal && m.Name != "__name__" && m.Value.Length > 0))
                    {
                        (labels.TryGetValue(m.Name, out var values) ? values : labels[m.Name] = new(StringComparer.Ordinal)).Add(m.Value);
                    }

                    if (selector.Matchers.Any(m => m.Name == "pod" && m.Operator == LabelMatchOperator.NotEqual && m.Value.Length == 0))
                    {
                        withPodFilter.Add(selector.MetricName!);
                    }
                }
            }
        }

        var common = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["clusterID"] = Cluster.Value, ["namespace"] = "team-a", ["node"] = "worker-1", ["container"] = "app", ["pod"] = "app-1",
            ["provider_id"] = "aws:///us-east-1a/i-1", ["owner_kind"] = "ReplicaSet", ["owner_name"] = "app-5d9c", ["workload"] = "app",
            ["workload_type"] = "deployment", ["image"] = "quay.io/app:1", ["persistentvolumeclaim"] = "data", ["persistentvolume"] = "pv-1",
            ["volumename"] = "pv-1", ["storageclass"] = "gp3", ["label_app"] = "app", ["UUID"] = "GPU-1", ["exported_namespace"] = "team-a",
            ["exported_pod"] = "app-1", ["exported_container"] = "app", ["Hostname"] = "worker-1", ["modelName"] = "A100", ["name"] = "vm-1",
        };
        var text = new StringBuilder();
        var index = 0;
        foreach (var (metric, equal) in equalities.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            text.Append("# TYPE ").Append(metric).Append(metric.EndsWith("_total", StringComparison.Ordinal) ? " counter\n" : " gauge\n");
            IEnumerable<SortedDictionary<string, string>> variants = [new(common, StringComparer.Ordinal)];
            foreach (var (label, values) in equal)
            {
                variants = [.. variants.SelectMany(v => values.Select(value => new SortedDictionary<string, string>(v, StringComparer.Ordinal) { [label] = value }))];
            }

            if (withPodFilter.Contains(metric))
            {
                variants = [.. variants.SelectMany(v => new[] { v, new SortedDictionary<string, string>(v.Where(l => l.Key != "pod").ToDictionary(), StringComparer.Ordinal) })];
            }

            foreach (var labels in variants)
            {
                index++;
                var rate = 0.25 + (index % 7 * 0.125);
                var set = string.Join(',', labels.Select(l => $"{l.Key}=\"{l.Value}\""));
                for (var t = Day.AddHours(-2); t <= Day.AddHours(26); t = t.AddSeconds(300))
                {
                    var seconds = (t - Day.AddHours(-2)).TotalSeconds;
                    var value = metric.EndsWith("_total", StringComparison.Ordinal) ? seconds * rate : rate + (Math.Sin(seconds / 3600 + index) / 8);
                    text.Append(metric).Append('{').Append(set).Append("} ")
                        .Append(value.ToString("R", CultureInfo.InvariantCulture)).Append(' ').Append(t.ToUnixTimeSeconds()).Append('\n');
                }
            }
        }

        return text.Append("# EOF\n").ToString();
    }

    private static List<string> Canonical(QueryResult result) =>
    [
        .. result.Series
            .Select(s => s.Labels.ToString() + " " + string.Join(' ', s.Samples.Select(p => $"{p.TimestampMs}:{BitConverter.DoubleToInt64Bits(p.Value):x}")))
            .Order(StringComparer.Ordinal),
    ];
}
