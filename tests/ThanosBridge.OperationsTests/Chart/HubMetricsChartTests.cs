using System.Text.RegularExpressions;
using ThanosBridge.Core.Collection.Catalog;

namespace ThanosBridge.OperationsTests.Chart;

/// <summary>
/// The hub's metric supply (hubMetrics.*): MCO's custom allowlist and the multicluster-observability-addon's ScrapeConfig
/// and PrometheusRule add exactly what the query catalog reads that MCO's defaults (Chart/TestData/mco) lack, and record
/// per-pod requests and limits as the bridge reads them (PodResourceSupply). A catalog change fails these tests until
/// the chart follows.
/// </summary>
public sealed partial class HubMetricsChartTests
{
    private const string Namespace = "open-cluster-management-observability";

    private static Dictionary<string, object?> Allowlist => ChartFiles.Objects("hub-metrics-allowlist.yaml").ShouldHaveSingleItem();

    private static Dictionary<string, object?> MetricsList =>
        ChartFiles.ParseYamlMapping((string)ChartFiles.ValueAt(Allowlist, "data")!.ShouldBeOfType<Dictionary<string, object?>>()["metrics_list.yaml"]!);

    private static IReadOnlyList<Dictionary<string, object?>> Mcoa => ChartFiles.Objects("hub-metrics-mcoa.yaml");

    [Fact]
    public void Allowlist_IsMcosCustomAllowlistConfigMap_InTheObservabilityNamespace()
    {
        Allowlist["apiVersion"].ShouldBe("v1");
        Allowlist["kind"].ShouldBe("ConfigMap");
        ChartFiles.ValueAt(Allowlist, "metadata.name").ShouldBe("observability-metrics-custom-allowlist");
        ChartFiles.Text("templates/hub-metrics-allowlist.yaml").ShouldContain("  namespace: {{ .Values.hubMetrics.namespace }}\n");
        ChartFiles.ValueAt(ChartFiles.Values(), "hubMetrics.namespace").ShouldBe(Namespace);
        ((Dictionary<string, object?>)Allowlist["data"]!).Keys.ShouldBe(["metrics_list.yaml"]);
        MetricsList.Keys.ShouldBe(["names", "recording_rules"], ignoreOrder: true);
    }

    [Fact]
    public void Allowlist_Names_AreExactlyTheCatalogsMetricsThatMcosDefaultAllowlistLacks()
    {
        var names = ((List<object?>)MetricsList["names"]!).Cast<string>().ToList();

        names.ShouldBe(HubMetricDefaults.LegacyMissing, "names: the catalog's metric names minus MCO's default names and matches, in order");
        names.ShouldAllBe(n => !n.StartsWith('-'), "a leading '-' would remove a default entry");
        HubMetricDefaults.LegacyMissing.ShouldContain("kube_pod_status_phase", "the derivation sees what the default lacks");
        HubMetricDefaults.LegacyMissing.ShouldContain("kube_pod_labels", "the default forwards only the pod labels of VMs (label_vm_kubevirt_io_name!=\"\")");
        HubMetricDefaults.LegacyMissing.ShouldNotContain("container_memory_working_set_bytes", "the default's container!=\"\" match covers the catalog's container queries");
        HubMetricDefaults.LegacyMissing.ShouldNotContain("kube_pod_container_resource_requests", "forwarded by default except on single-node clusters: recorded instead");
    }

    [Fact]
    public void DefaultRenames_ThatHitTheCatalog_AreTheOnesTheQueriesReadUnderEitherName()
    {
        // MCO's default renames catalog metrics on the way to the hub, and listing a name does not bring it back: the
        // queries read the renamed name where CMMO's is absent (HubRenames). A new catalog name MCO renames fails here
        // until HubRenames knows it.
        var hit = HubMetricDefaults.CatalogNames.Where(HubMetricDefaults.LegacyRenames.ContainsKey).ToDictionary(n => n, n => HubMetricDefaults.LegacyRenames[n]);
        hit.ShouldBe(HubRenames.ByCmmoName.ToDictionary());
        File.ReadAllText(Path.Combine(OperationsFiles.Root, "docs", "operations.md"))
            .ShouldContain("node_namespace_pod_container:container_cpu_usage_seconds_total:sum_rate5m");
    }

    [Fact]
    public void Allowlist_RecordingRules_AreThePodResourceSupplysOnOneLineWithoutDoubleQuotes()
    {
        var rules = ((List<object?>)MetricsList["recording_rules"]!).Cast<Dictionary<string, object?>>().ToList();

        rules.Select(r => (r["record"], r["expr"])).ShouldBe(RecordingRules());
        rules.ShouldAllBe(r => r.Keys.Order(StringComparer.Ordinal).SequenceEqual(new[] { "expr", "record" }));
        // The collector passes each rule as --recordingrule={"name":"…","query":"<expr>"}: a newline or an unescaped
        // double quote would break the JSON.
        rules.Select(r => (string)r["expr"]!).ShouldAllBe(e => !e.Contains('\n') && !e.Contains('"'));
        ChartFiles.Text("templates/hub-metrics-allowlist.yaml").ShouldContain("        expr: max by (");
    }

    [Fact]
    public void Mcoa_IsAScrapeConfigAndAPrometheusRule_OfThePlatformMetricsCollector_InTheObservabilityNamespace()
    {
        var text = ChartFiles.Text("templates/hub-metrics-mcoa.yaml");

        Mcoa.Select(o => $"{o["apiVersion"]} {o["kind"]}").ShouldBe(["monitoring.rhobs/v1alpha1 ScrapeConfig", "monitoring.coreos.com/v1 PrometheusRule"]);
        Regex.Count(text, Regex.Escape("  namespace: {{ .Values.hubMetrics.namespace }}\n")).ShouldBe(2);
        Regex.Count(text, Regex.Escape("{{- include \"thanos-bridge.platformMetricsCollectorLabels\" . | nindent 4 }}")).ShouldBe(2);
        ChartFiles.Define(ChartFiles.Text("templates/_helpers.tpl"), "thanos-bridge.platformMetricsCollectorLabels")
            .ShouldContain("app.kubernetes.io/component: platform-metrics-collector\n");
    }

    [Fact]
    public void Mcoa_ScrapeConfig_FederatesExactlyTheCatalogsMetricsTheAddonsDefaultLacks_AndTheRecordedOnes()
    {
        var scrape = Mcoa[0];

        ChartFiles.ValueAt(scrape, "spec.metricsPath").ShouldBe("/federate");
        ChartFiles.ValueAt(scrape, "spec.jobName").ShouldNotBeNull();
        var matches = ((List<object?>)ChartFiles.ValueAt(scrape, "spec.params.match[]")!).Cast<string>().ToList();
        matches.ShouldBe(HubMetricDefaults.McoaMissing.Select(n => $"{{__name__=\"{n}\"}}"),
            "a name the default also federates would arrive twice (under two jobs) and double the sums");
        HubMetricDefaults.McoaMissing.ShouldContain("thanos_bridge:kube_pod_container_resource_requests:max");
        HubMetricDefaults.McoaMissing.ShouldNotContain("kube_pod_container_resource_requests");
    }

    [Fact]
    public void Mcoa_PrometheusRule_RecordsThePodResourceSupplysSeries()
    {
        var group = ((List<object?>)ChartFiles.ValueAt(Mcoa[1], "spec.groups")!).ShouldHaveSingleItem().ShouldBeOfType<Dictionary<string, object?>>();
        var rules = ((List<object?>)group["rules"]!).Cast<Dictionary<string, object?>>().ToList();

        rules.Select(r => (r["record"], r["expr"])).ShouldBe(RecordingRules());
    }

    [Fact]
    public void Values_DocumentEachHubOption()
    {
        var readme = ChartFiles.Text("README.md");
        var operations = File.ReadAllText(Path.Combine(OperationsFiles.Root, "docs", "operations.md"));

        readme.ShouldContain("`hubMetrics.allowlist.enabled`");
        readme.ShouldContain("`hubMetrics.mcoa.enabled`");
        operations.ShouldContain("## Hub metric supply");
        foreach (var name in HubMetricDefaults.LegacyMissing.Concat(HubMetricDefaults.McoaMissing))
        {
            operations.ShouldContain(name, customMessage: "the exact YAML to merge by hand lists every name");
        }
    }

    private static IEnumerable<(object?, object?)> RecordingRules() =>
        PodResourceSupply.Families.Select(f => ((object?)PodResourceSupply.RecordedName(f), (object?)PodResourceSupply.RecordingExpression(f)));
}
