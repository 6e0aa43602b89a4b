using System.Globalization;
using System.Text;
using ThanosBridge.Adapters.Thanos;
using ThanosBridge.Core.Collection;
using ThanosBridge.Core.Collection.Catalog;
using ThanosBridge.Core.Discovery;
using ThanosBridge.Core.Reports;

namespace ThanosBridge.IntegrationTests.Promql;

/// <summary>
/// The recorded per-pod requests and limits bill exactly as the raw ones. One real Prometheus holds the same cluster-day
/// four times: with the raw kube-state-metrics series and the recording rules' series (an ordinary cluster with the
/// chart's allowlist), with the recorded series only, with the recorded series and raw ones only from 10:00 to 12:00
/// (single-node OpenShift while MCO's SNOResourceUsage collect rule fired), and with neither. The raw series carry the
/// scrape's labels (job, instance, service, endpoint); the recorded ones only what the recording rule keeps
/// (PodResourceSupply.RecordingExpression) and the cluster labels the collector adds. The ROS CPU usage series is held
/// under CMMO's name for the first cluster and under MCO's default rename for the two next (HubRenames): the same reports.
/// </summary>
public sealed class PodResourceSupplyPrometheusTests : IAsyncLifetime
{
    private static readonly ClusterId Ordinary = ClusterId.Parse("ordinary-with-allowlist");
    private static readonly ClusterId RecordedOnly = ClusterId.Parse("recorded-only");
    private static readonly ClusterId SingleNode = ClusterId.Parse("single-node");
    private static readonly ClusterId Neither = ClusterId.Parse("neither");
    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
    private PromtoolPrometheus? prometheus;

    private sealed record Container(string Namespace, string Pod, string Uid, string Name, double CpuRequest, double MemoryRequest, double? CpuLimit, double? MemoryLimit,
        DateTimeOffset From, DateTimeOffset To);

    private static readonly Container[] Containers =
    [
        new("team-a", "api-1", "u-api-1", "api", 0.5, 512 * 1024 * 1024, 1, 1024 * 1024 * 1024, Day.AddHours(-2), Day.AddHours(26)),
        new("team-a", "api-1", "u-api-1", "sidecar", 0.1, 64 * 1024 * 1024, null, null, Day.AddHours(-2), Day.AddHours(26)),
        new("team-a", "batch-7", "u-batch-7", "job", 2, 4.0 * 1024 * 1024 * 1024, 4, 8.0 * 1024 * 1024 * 1024, Day.AddHours(6).AddMinutes(10), Day.AddHours(14).AddMinutes(20)),
        new("team-b", "web-3", "u-web-3", "web", 0.25, 256 * 1024 * 1024, 0.75, null, Day.AddHours(9).AddMinutes(35), Day.AddHours(26)),
    ];

    [Fact]
    public async Task RecordedSeries_GiveTheSameReportsAsTheRawOnes_AndEachClusterReadsTheSourceWithMoreSamples()
    {
        var ct = TestContext.Current.CancellationToken;

        var ordinary = await CollectAsync(Ordinary, ct);
        var recorded = await CollectAsync(RecordedOnly, ct);
        var singleNode = await CollectAsync(SingleNode, ct);
        var neither = await CollectAsync(Neither, ct);

        Sources(ordinary).ShouldBe("raw/raw", "raw on a tie: both complete");
        Sources(recorded).ShouldBe("recorded/recorded");
        Sources(singleNode).ShouldBe("recorded/recorded", "the raw series cover two hours, the recorded ones the day");
        Sources(neither).ShouldBe("missing/missing");

        var requests = Column(ordinary, ReportKind.Pod, "pod_request_cpu_core_seconds");
        requests.Count(v => v.Length > 0).ShouldBeGreaterThan(24, "the raw series give request values");
        Column(ordinary, ReportKind.Pod, "pod_limit_memory_byte_seconds").Count(v => v.Length > 0).ShouldBeGreaterThan(24);
        Column(ordinary, ReportKind.RosContainer, "cpu_request_container_avg").Count(v => v.Length > 0).ShouldBeGreaterThan(24);
        Column(ordinary, ReportKind.RosContainer, "cpu_usage_container_avg").Count(v => v.Length > 0).ShouldBeGreaterThan(24, "CMMO's name");
        Column(recorded, ReportKind.RosContainer, "cpu_usage_container_avg").ShouldBe(
            Column(ordinary, ReportKind.RosContainer, "cpu_usage_container_avg"), "MCO's renamed series give the same usage");
        Column(neither, ReportKind.Pod, "pod_request_cpu_core_seconds").ShouldAllBe(v => v.Length == 0, "no series: empty, never zero");
        Column(singleNode, ReportKind.Pod, "pod_request_cpu_core_seconds").ShouldBe(requests, "not the two hours the raw series cover");

        foreach (var kind in ordinary.Tables.Select(t => t.Kind))
        {
            Text(recorded, kind).ShouldBe(Text(ordinary, kind), $"{kind}: recorded vs raw");
            Text(singleNode, kind).ShouldBe(Text(ordinary, kind), $"{kind}: single-node vs raw");
        }

        Text(neither, ReportKind.Pod).ShouldNotBe(Text(ordinary, ReportKind.Pod), "the request and limit columns do change the report");
    }

    public async ValueTask InitializeAsync() => prometheus = await PromtoolPrometheus.StartAsync(OpenMetrics(), TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (prometheus is not null)
        {
            await prometheus.DisposeAsync();
        }
    }

    private async Task<ReportSet> CollectAsync(ClusterId cluster, CancellationToken ct)
    {
        var options = new ThanosClientOptions { BaseUrl = prometheus!.Url };
        using var http = ThanosHttpClientFactory.CreateHttpClient(options);
        var client = new ThanosQueryClient(http, options, TimeProvider.System);
        var reports = await new ReportCollector(new ThanosQueryExecutor(client))
            .CollectAsync(new CollectionRequest(cluster, "clusterID", Day, 24, TimeSpan.FromSeconds(300), RosEnabled: true, MaxParallelQueries: 2), ct);
        reports.HoursWithData.Count.ShouldBe(24, cluster.Value);
        return reports;
    }

    private static string Sources(ReportSet reports) =>
        $"{PodResourceSupply.Label(reports.PodResources![PodResourceFamily.Requests])}/{PodResourceSupply.Label(reports.PodResources[PodResourceFamily.Limits])}";

    private static List<string> Column(ReportSet reports, ReportKind kind, string column)
    {
        var table = reports[kind];
        var index = table.Header.ToList().IndexOf(column);
        index.ShouldBeGreaterThanOrEqualTo(0, column);
        return [.. table.Rows.Select(r => r[index])];
    }

    private static string Text(ReportSet reports, ReportKind kind) =>
        string.Join('\n', new[] { reports[kind].Header }.Concat(reports[kind].Rows).Select(r => string.Join(',', r)));

    /// <summary>5-minute samples from 22:00 the day before to 02:00 the day after, each cluster's as its hub would hold them.</summary>
    private static string OpenMetrics()
    {
        var text = new StringBuilder();
        void Gauge(string metric, IEnumerable<(string Labels, double Value, DateTimeOffset From, DateTimeOffset To)> series)
        {
            text.Append("# TYPE ").Append(metric).Append(" gauge\n");
            foreach (var (labels, value, from, to) in series)
            {
                for (var t = Day.AddHours(-2); t <= Day.AddHours(26); t = t.AddSeconds(300))
                {
                    if (t >= from && t < to)
                    {
                        text.Append(metric).Append('{').Append(labels).Append("} ").Append(value.ToString("R", CultureInfo.InvariantCulture))
                            .Append(' ').Append(t.ToUnixTimeSeconds()).Append('\n');
                    }
                }
            }
        }

        var clusters = new[] { Ordinary, RecordedOnly, SingleNode, Neither };
        static string Of(ClusterId cluster) => $"cluster=\"{cluster.Value}\",clusterID=\"{cluster.Value}\"";
        var (start, end) = (Day.AddHours(-2), Day.AddHours(26));
        foreach (var metric in new[] { "kube_node_status_allocatable", "kube_node_status_capacity" })
        {
            Gauge(metric, clusters.SelectMany(c => new[]
            {
                ($"{Of(c)},node=\"worker-1\",resource=\"cpu\",unit=\"core\"", 8.0, start, end),
                ($"{Of(c)},node=\"worker-1\",resource=\"memory\",unit=\"byte\"", 32.0 * 1024 * 1024 * 1024, start, end),
            }));
        }

        Gauge("kube_node_info", clusters.Select(c => ($"{Of(c)},node=\"worker-1\",provider_id=\"aws:///us-east-1a/i-1\"", 1.0, start, end)));
        Gauge("kube_namespace_labels", clusters.SelectMany(c => new[] { "team-a", "team-b" }
            .Select(ns => ($"{Of(c)},namespace=\"{ns}\",label_cost_management_optimizations=\"true\"", 1.0, start, end))));
        var pods = Containers.GroupBy(k => (k.Namespace, k.Pod, k.Uid, k.From, k.To)).Select(g => g.Key).ToList();
        Gauge("kube_pod_status_phase", clusters.SelectMany(c => pods.Select(p =>
            ($"{Of(c)},namespace=\"{p.Namespace}\",pod=\"{p.Pod}\",uid=\"{p.Uid}\",phase=\"Running\"", 1.0, p.From, p.To))));
        Gauge("kube_pod_container_info", clusters.SelectMany(c => Containers.Select(k =>
            ($"{Of(c)},namespace=\"{k.Namespace}\",pod=\"{k.Pod}\",uid=\"{k.Uid}\",container=\"{k.Name}\",image=\"quay.io/{k.Name}:1\"", 1.0, k.From, k.To))));

        foreach (var family in PodResourceSupply.Families)
        {
            var values = Containers.SelectMany(k => family == PodResourceFamily.Requests
                ? new[] { (k, "cpu", "core", (double?)k.CpuRequest), (k, "memory", "byte", (double?)k.MemoryRequest) }
                : [(k, "cpu", "core", k.CpuLimit), (k, "memory", "byte", k.MemoryLimit)])
                .Where(v => v.Item4 is not null)
                .Select(v => (Labels: new SortedDictionary<string, string>(StringComparer.Ordinal)
                {
                    ["container"] = v.k.Name, ["namespace"] = v.k.Namespace, ["node"] = "worker-1", ["pod"] = v.k.Pod, ["resource"] = v.Item2,
                    ["uid"] = v.k.Uid, ["unit"] = v.Item3, ["endpoint"] = "https-main", ["instance"] = "10.128.0.12:8443", ["job"] = "kube-state-metrics",
                    ["service"] = "kube-state-metrics",
                }, Value: v.Item4!.Value, v.k.From, v.k.To))
                .ToList();
            static string Raw(IDictionary<string, string> labels) => string.Join(',', labels.Select(l => $"{l.Key}=\"{l.Value}\""));
            // What the recording rule outputs: only the labels it groups by.
            static string Recorded(IDictionary<string, string> labels) => Raw(labels.Where(l => PodResourceSupply.RecordedLabels.Contains(l.Key)).ToDictionary());
            Gauge(PodResourceSupply.RawName(family),
            [
                .. values.Select(v => ($"{Of(Ordinary)},{Raw(v.Labels)}", v.Value, v.From, v.To)),
                .. values.Select(v => ($"{Of(SingleNode)},{Raw(v.Labels)}", v.Value, Max(v.From, Day.AddHours(10)), Min(v.To, Day.AddHours(12)))),
            ]);
            Gauge(PodResourceSupply.RecordedName(family),
                [.. new[] { Ordinary, RecordedOnly, SingleNode }.SelectMany(c => values.Select(v => ($"{Of(c)},{Recorded(v.Labels)}", v.Value, v.From, v.To)))]);
        }

        // The spoke's per-container CPU usage rate (a recording rule of cluster monitoring): under CMMO's name where the
        // hub holds it so (the multicluster-observability-addon), under MCO's default rename elsewhere (HubRenames).
        var (cmmoName, hubName) = HubRenames.ByCmmoName.Single();
        var usage = Containers.Select(k => (Labels: $"container=\"{k.Name}\",namespace=\"{k.Namespace}\",node=\"worker-1\",pod=\"{k.Pod}\"",
            Value: k.CpuRequest * 0.8, k.From, k.To)).ToList();
        Gauge(cmmoName, [.. usage.Select(u => ($"{Of(Ordinary)},{u.Labels}", u.Value, u.From, u.To))]);
        Gauge(hubName, [.. new[] { RecordedOnly, SingleNode }.SelectMany(c => usage.Select(u => ($"{Of(c)},{u.Labels}", u.Value, u.From, u.To)))]);

        return text.Append("# EOF\n").ToString();
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
