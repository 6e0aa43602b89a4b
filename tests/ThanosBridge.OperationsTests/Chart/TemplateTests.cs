using System.Text.RegularExpressions;

namespace ThanosBridge.OperationsTests.Chart;

/// <summary>The templates reference only declared values, label every resource as cost-onprem does, and keep the optional parts switchable.</summary>
public partial class TemplateTests
{
    /// <summary>The placeholder runbook base URL of files/alerts.yaml, replaced at render time.</summary>
    private const string RunbookPlaceholder = "https://thanos-bridge.invalid/runbooks/";

    /// <summary>Declared values no template reads, each with the reason.</summary>
    private static readonly Dictionary<string, string> UnusedValues = new(StringComparer.Ordinal)
    {
        ["global"] = "Helm passes a parent chart's globals to subcharts under this key; declared so that the closed schema accepts them",
    };

    private static IReadOnlyDictionary<string, string> Templates => ChartFiles.Templates();

    /// <summary>The templates that render Kubernetes objects (not helpers, not NOTES.txt).</summary>
    private static IEnumerable<KeyValuePair<string, string>> Manifests =>
        Templates.Where(t => t.Key.EndsWith(".yaml", StringComparison.Ordinal));

    [Fact]
    public void Templates_ReferenceOnlyValuesThatValuesYamlAndTheSchemaDeclare()
    {
        var values = ChartFiles.Values();
        var schema = ChartFiles.Schema();
        var references = Templates.SelectMany(t => ChartFiles.ValuesReferences(t.Value).Select(path => (File: t.Key, Path: path))).ToList();

        references.ShouldNotBeEmpty();
        references.Where(r => !ChartFiles.HasValue(values, r.Path)).Select(r => $"{r.File}: .Values.{r.Path} not in values.yaml").ShouldBeEmpty();
        references.Where(r => !ChartFiles.Declares(schema, r.Path)).Select(r => $"{r.File}: .Values.{r.Path} not in values.schema.json").ShouldBeEmpty();
    }

    [Fact]
    public void Values_EveryDeclaredValueIsReadByATemplate_ExceptTheJustifiedOnes()
    {
        var references = Templates.Values.SelectMany(ChartFiles.ValuesReferences).ToHashSet(StringComparer.Ordinal);

        var unused = ChartFiles.DeclaredValues(ChartFiles.Schema())
            .Where(d => d.IsLeaf)
            .Select(d => d.Path)
            .Where(path => !references.Any(r => r == path || path.StartsWith(r + ".", StringComparison.Ordinal) || r.StartsWith(path + ".", StringComparison.Ordinal)))
            .Where(path => !UnusedValues.ContainsKey(path))
            .ToList();

        unused.ShouldBeEmpty("a value no template reads would be silently ignored");
        UnusedValues.Keys.ShouldAllBe(path => !references.Contains(path), "an unused-value exemption that is read is stale");
    }

    [Fact]
    public void Helpers_DefineTheCostOnpremLabels_WithoutChartOrVersionInTheSelector()
    {
        var helpers = ChartFiles.Text("templates/_helpers.tpl");
        var selector = LabelKeys(ChartFiles.Define(helpers, "thanos-bridge.selectorLabels"));
        var labels = ChartFiles.Define(helpers, "thanos-bridge.labels");

        selector.ShouldBe(["app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/component"]);
        labels.ShouldContain("{{ include \"thanos-bridge.selectorLabels\" . }}");
        LabelKeys(labels).Concat(selector).ShouldBe(
            [
                "helm.sh/chart", "app.kubernetes.io/part-of", "app.kubernetes.io/version", "app.kubernetes.io/managed-by",
                "app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/component",
            ],
            ignoreOrder: true);
    }

    [Fact]
    public void Manifests_AllCarryTheChartLabels_AndHardCodeNoStandardLabel()
    {
        var problems = new List<string>();
        foreach (var (file, text) in Manifests)
        {
            // The addon's objects carry its component instead of the bridge's (thanos-bridge.platformMetricsCollectorLabels).
            var helper = file == "hub-metrics-mcoa.yaml" ? "thanos-bridge.platformMetricsCollectorLabels" : "thanos-bridge.labels";
            var objects = Regex.Count(text, @"(?m)^kind: ");
            if (Regex.Count(text, Regex.Escape($"{{{{- include \"{helper}\" . | nindent 4 }}}}")) != objects)
            {
                problems.Add($"{file}: the metadata.labels of its {objects} object(s) do not all include {helper}");
            }

            problems.AddRange(HardCodedStandardLabel().Matches(text).Select(m => $"{file}: hard-coded label {m.Value.Trim()}"));
        }

        problems.ShouldBeEmpty();
    }

    [Fact]
    public void PlatformMetricsCollectorLabels_AreTheChartLabels_WithTheAddonsComponent()
    {
        var helpers = ChartFiles.Text("templates/_helpers.tpl");
        var chart = ChartFiles.Define(helpers, "thanos-bridge.labels")
            .Replace("{{ include \"thanos-bridge.selectorLabels\" . }}", ChartFiles.Define(helpers, "thanos-bridge.selectorLabels").Trim(), StringComparison.Ordinal)
            .Replace("app.kubernetes.io/component: thanos-bridge", "app.kubernetes.io/component: platform-metrics-collector", StringComparison.Ordinal);

        ChartFiles.Define(helpers, "thanos-bridge.platformMetricsCollectorLabels").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)
            .ShouldBe(chart.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0), ignoreOrder: true);
    }

    [Fact]
    public void Selectors_UseTheSelectorLabels()
    {
        foreach (var file in new[] { "deployment.yaml", "service.yaml", "poddisruptionbudget.yaml", "servicemonitor.yaml", "networkpolicy.yaml" })
        {
            Templates[file].ShouldContain("include \"thanos-bridge.selectorLabels\" .", customMessage: file);
        }
    }

    [Theory]
    [InlineData("servicemonitor.yaml", "serviceMonitor.enabled", true)]
    [InlineData("prometheusrule.yaml", "alerts.enabled", true)]
    [InlineData("networkpolicy.yaml", "networkPolicy.enabled", true)]
    [InlineData("dashboard-configmap.yaml", "dashboard.enabled", false)]
    [InlineData("poddisruptionbudget.yaml", "podDisruptionBudget.enabled", true)]
    [InlineData("hub-metrics-allowlist.yaml", "hubMetrics.allowlist.enabled", false)]
    [InlineData("hub-metrics-mcoa.yaml", "hubMetrics.mcoa.enabled", false)]
    [InlineData("serviceaccount.yaml", "serviceAccount.create", true)]
    public void OptionalResource_IsWrappedInItsSwitch(string file, string value, bool defaultOn)
    {
        var lines = Templates[file].TrimEnd().Split('\n');

        lines[0].ShouldBe($"{{{{- if .Values.{value} }}}}");
        lines[^1].ShouldBe("{{- end }}");
        ChartFiles.ValueAt(ChartFiles.Values(), value).ShouldBe(defaultOn);
    }

    [Fact]
    public void PrometheusRule_EmbedsAlertsYaml_WithTheRunbookBaseUrlFromValues()
    {
        var rule = Templates["prometheusrule.yaml"];

        rule.ShouldContain($".Files.Get \"files/alerts.yaml\" | replace \"{RunbookPlaceholder}\" .Values.alerts.runbookBaseUrl | nindent 2");
        ChartFiles.ValueAt(ChartFiles.Values(), "alerts.runbookBaseUrl").ShouldBe(RunbookPlaceholder);
        ChartFiles.Text("values.yaml").ShouldContain("set to where runbooks/ is served");
    }

    [Fact]
    public void Dashboard_EmbedsDashboardJson_WithTheGrafanaSidecarLabel()
    {
        Templates["dashboard-configmap.yaml"].ShouldContain(".Files.Get \"files/dashboard.json\" | nindent 4");
        ChartFiles.ValueAt(ChartFiles.Values(), "dashboard.labels").ShouldBe(new Dictionary<string, object?> { ["grafana_dashboard"] = "1" });
    }

    [Fact]
    public void FilesGet_ReadsOnlyFilesThatExistInTheChart()
    {
        var targets = Templates.Values.SelectMany(t => FilesGet().Matches(t).Select(m => m.Groups["path"].Value)).Distinct().ToList();

        targets.ShouldBe(["files/alerts.yaml", "files/dashboard.json"], ignoreOrder: true);
        targets.Where(t => !File.Exists(ChartFiles.PathOf(t))).ShouldBeEmpty("a missing file renders as an empty string");
    }

    [Fact]
    public void AlertsYaml_IsAPlainRulesFileWhoseRunbookLinksUseThePlaceholder()
    {
        var alerts = ChartFiles.LoadYamlMapping("files/alerts.yaml");

        alerts.Keys.Single().ShouldBe("groups", "the file is nested under the PrometheusRule's spec as it is");
        ChartFiles.Text("files/alerts.yaml").ShouldContain(RunbookPlaceholder);
    }

    [Fact]
    public void NetworkPolicy_AllowsEgressOnlyToTheDependenciesAndDns()
    {
        var policy = Templates["networkpolicy.yaml"];
        var destinations = EgressDestination().Matches(policy).Select(m => m.Groups["name"].Value).Distinct().ToList();

        destinations.ShouldBe(["dns", "thanos", "database", "objectStorage", "kafka", "kubernetesApi", "kokuApi", "otlp"]);
        policy.ShouldContain("policyTypes:\n    - Ingress\n    - Egress\n");
        policy.ShouldContain("(list \"UDP\" \"TCP\")", customMessage: "DNS over UDP and TCP");
    }

    [Fact]
    public void ServiceMonitor_ScrapesTheMetricsPort_AsJobThanosBridge()
    {
        var monitor = Templates["servicemonitor.yaml"];

        monitor.ShouldContain("- port: metrics\n      path: /metrics\n");
        monitor.ShouldContain("jobLabel: app.kubernetes.io/name");
        ChartFiles.LoadYamlMapping("Chart.yaml")["name"].ShouldBe("thanos-bridge", "job = the name label = the chart name");
    }

    [Fact]
    public void Service_PublishesNotReadyAddresses_SoMetricsAreScrapedWhileADependencyFails()
    {
        Templates["service.yaml"].ShouldContain("publishNotReadyAddresses: true");
    }

    private static List<string> LabelKeys(string block) =>
        [.. block.Split('\n').Select(l => LabelKey().Match(l)).Where(m => m.Success).Select(m => m.Groups["key"].Value)];

    [GeneratedRegex(@"^(?<key>[a-z0-9.\-]+/[a-z0-9.\-]+|[a-z0-9.\-]+):")]
    private static partial Regex LabelKey();

    [GeneratedRegex(@"(?m)^\s*(app\.kubernetes\.io/[a-z-]+|helm\.sh/chart):")]
    private static partial Regex HardCodedStandardLabel();

    [GeneratedRegex(@"\.Files\.Get ""(?<path>[^""]+)""")]
    private static partial Regex FilesGet();

    [GeneratedRegex(@"\.Values\.networkPolicy\.egress\.(?<name>[A-Za-z]+)\.to")]
    private static partial Regex EgressDestination();
}
