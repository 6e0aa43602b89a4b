using System.Globalization;
using System.Net;
using System.Text.Json;
using ThanosBridge.Core.Collection.Promql;
using ThanosBridge.Core.Discovery;
using ThanosBridge.TestSupport;

namespace ThanosBridge.IntegrationTests.Promql;

/// <summary>
/// Rewritten queries run against the stack's real Prometheus (the Thanos stand-in, demo series of several clusters
/// carrying clusterID): Prometheus must parse them, and they must return only the injected cluster.
/// </summary>
public class ClusterLabelInjectionPrometheusTests
{
    private const string Label = ClusterLabelInjector.DefaultLabelName;
    private const string NsfA = "kube_namespace_labels{label_insights_cost_management_optimizations='true', namespace!~'kube-.*|openshift|openshift-.*'}";
    private const string NsfB = "kube_namespace_labels{label_cost_management_optimizations='true', namespace!~'kube-.*|openshift|openshift-.*'}";

    private static readonly HttpClient Http = new() { BaseAddress = StackEnvironment.Current.ThanosQueryUrl };

    /// <summary>Shape name → (query, whether its result keeps the clusterID label).</summary>
    private static readonly Dictionary<string, (string Query, bool KeepsCluster)> Queries = new()
    {
        ["node capacity join"] = (
            "kube_node_status_capacity{resource='cpu'} * on(node) group_left(provider_id) max by (node, provider_id) (kube_node_info) ",
            true),
        ["pod labels Running join"] = (
            "kube_pod_labels{namespace!='',pod!=''} * on(pod, namespace) group_left max by (pod, namespace) (kube_pod_status_phase{phase='Running'})",
            true),
        ["pod cpu rate aggregated"] = (
            "sum by (pod, namespace, node) (rate(container_cpu_usage_seconds_total{container!='', container!='POD', pod!='', namespace!='', node!=''}[15m]))",
            false),
        ["ROS gate or"] = (NsfA + " or " + NsfB, true),
        ["subquery grouped by clusterID"] = (
            "max_over_time(sum by(namespace, clusterID) (container_memory_working_set_bytes{container!='', container!='POD', pod!=''})[15m:])",
            true),
        ["label_replace"] = ("label_replace(kube_pod_labels{namespace!=''}, 'exported_namespace', '$1', 'namespace', '(.*)')", true),
        ["accelerator or branches with label_replace join"] = (
            "max by (modelName, exported_container, exported_namespace, exported_pod, Hostname, clusterID) (max_over_time(DCGM_FI_DEV_GPU_UTIL{exported_namespace != '', exported_container != '', exported_pod != ''}[15m])) "
            + "* on(exported_namespace, clusterID) group_left(namespace) label_replace(kube_namespace_labels{label_insights_cost_management_optimizations='true'}, 'exported_namespace', '$1', 'namespace', '(.*)') "
            + "or max by (modelName, exported_container, exported_namespace, exported_pod, Hostname, clusterID) (max_over_time(DCGM_FI_DEV_GPU_UTIL{exported_namespace != '', exported_container != '', exported_pod != ''}[15m])) "
            + "* on(exported_namespace, clusterID) group_left(namespace) label_replace(kube_namespace_labels{label_cost_management_optimizations='true'}, 'exported_namespace', '$1', 'namespace', '(.*)')",
            true),
        ["ROS namespace throttle subquery or join"] = (
            "(avg_over_time(sum by(namespace) (rate(container_cpu_cfs_throttled_seconds_total{container!='', container!='POD', pod!=''}[15m]))[15m:]) * on(namespace) group_left " + NsfA
            + " or avg_over_time(sum by(namespace) (rate(container_cpu_cfs_throttled_seconds_total{container!='', container!='POD', pod!=''}[15m]))[15m:]) * on(namespace) group_left " + NsfB + ")",
            false),
        ["offset modifier"] = ("kubevirt_vm_labels{name!='', namespace!=''} offset 5m", true),
    };

    public static TheoryData<string> Shapes => [.. Queries.Keys];

    public static TheoryData<string> ClusterKeepingShapes => [.. Queries.Where(q => q.Value.KeepsCluster).Select(q => q.Key)];

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task QueryRange_RewrittenQuery_ParsesAndReturnsOnlyTheInjectedCluster(string shape)
    {
        var clusters = await ClusterIds();
        clusters.Count.ShouldBeGreaterThan(1);
        var seriesSeen = 0;

        foreach (var cluster in clusters)
        {
            var rewritten = ClusterLabelInjector.Inject(Queries[shape].Query, Label, ClusterId.Parse(cluster));

            var (status, body) = await QueryRange(rewritten);

            status.ShouldBe(HttpStatusCode.OK, $"{shape} for {cluster}: {body}");
            var series = Series(body);
            foreach (var labels in series)
            {
                if (labels.TryGetValue(Label, out var value))
                {
                    value.ShouldBe(cluster, $"{shape}: a series of another cluster leaked into {rewritten}");
                }
            }

            seriesSeen += series.Count;
        }

        seriesSeen.ShouldBeGreaterThan(0, $"{shape} returned no series for any cluster, so the cluster check proved nothing");
    }

    [Theory]
    [MemberData(nameof(ClusterKeepingShapes))]
    public async Task QueryRange_UnrewrittenQuery_SpansSeveralClustersAndRewriteSelectsExactlyOne(string shape)
    {
        var clusters = await ClusterIds();
        var (status, body) = await QueryRange(Queries[shape].Query);
        status.ShouldBe(HttpStatusCode.OK, body);
        var all = Series(body);

        var clustersInResult = all.Select(s => s[Label]).Distinct().ToList();

        clustersInResult.Count.ShouldBeGreaterThan(1, $"{shape} without the matcher must span clusters, or the rewrite test proves nothing");
        foreach (var cluster in clusters)
        {
            var (rewrittenStatus, rewrittenBody) = await QueryRange(ClusterLabelInjector.Inject(Queries[shape].Query, Label, ClusterId.Parse(cluster)));
            rewrittenStatus.ShouldBe(HttpStatusCode.OK, rewrittenBody);
            Keys(Series(rewrittenBody)).ShouldBe(Keys(all.Where(s => s[Label] == cluster)), $"{shape} for {cluster}");
        }
    }

    [Fact]
    public async Task QueryRange_UnrewrittenNamespaceJoin_FailsAcrossClustersButRewrittenSucceeds()
    {
        var query = Queries["ROS namespace throttle subquery or join"].Query;
        var (status, body) = await QueryRange(query);
        var cluster = (await ClusterIds())[0];

        var (rewrittenStatus, rewrittenBody) = await QueryRange(ClusterLabelInjector.Inject(query, Label, ClusterId.Parse(cluster)));

        // The same namespace exists in several clusters: only the per-cluster query has a unique join side.
        status.ShouldBe(HttpStatusCode.UnprocessableEntity, body);
        body.ShouldContain("duplicate series");
        rewrittenStatus.ShouldBe(HttpStatusCode.OK, rewrittenBody);
    }

    private static List<string> Keys(IEnumerable<Dictionary<string, string>> series) =>
        [.. series.Select(s => string.Join(",", s.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"))).Order(StringComparer.Ordinal)];

    private static async Task<List<string>> ClusterIds()
    {
        using var response = await Http.GetAsync(new Uri($"api/v1/label/{Label}/values", UriKind.Relative), TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return [.. doc.RootElement.GetProperty("data").EnumerateArray().Select(e => e.GetString()!)];
    }

    private static async Task<(HttpStatusCode Status, string Body)> QueryRange(string query)
    {
        // The demo data ends at DEMO_DATA_END (a little before the stack started); query the hours before it.
        var end = StackEnvironment.Current.Values.TryGetValue("DEMO_DATA_END", out var demoEnd)
            ? long.Parse(demoEnd, CultureInfo.InvariantCulture)
            : TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["query"] = query,
            ["start"] = (end - (4 * 3600)).ToString(CultureInfo.InvariantCulture),
            ["end"] = end.ToString(CultureInfo.InvariantCulture),
            ["step"] = "300",
        });
        using var response = await Http.PostAsync(new Uri("api/v1/query_range", UriKind.Relative), form, TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    private static List<Dictionary<string, string>> Series(string body)
    {
        using var doc = JsonDocument.Parse(body);
        doc.RootElement.GetProperty("status").GetString().ShouldBe("success");
        var data = doc.RootElement.GetProperty("data");
        data.GetProperty("resultType").GetString().ShouldBe("matrix");
        return
        [
            .. data.GetProperty("result").EnumerateArray().Select(s =>
                s.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal)),
        ];
    }
}
