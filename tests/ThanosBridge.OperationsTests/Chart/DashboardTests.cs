using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ThanosBridge.OperationsTests.Chart;

/// <summary>
/// charts/thanos-bridge/files/dashboard.json is a Grafana dashboard whose every query uses the datasource variable,
/// parses as PromQL and reads only metrics the bridge exports, with panels for each question docs/operations.md lists.
/// </summary>
public sealed partial class DashboardTests
{
    private const string DatasourceUid = "${datasource}";

    /// <summary>Metric families the dashboard must show (runs, freshness, queries, delivery, discovery, health).</summary>
    private static readonly string[] RequiredSeries =
    [
        "thanos_bridge_runs_total",
        "thanos_bridge_last_successful_run_timestamp_seconds",
        "thanos_bridge_cluster_last_delivered_hour_timestamp_seconds",
        "thanos_bridge_pod_resources_source",
        "thanos_bridge_query_duration_seconds_bucket",
        "thanos_bridge_query_failures_total",
        "thanos_bridge_payload_size_bytes_bucket",
        "thanos_bridge_payloads_published_total",
        "thanos_bridge_s3_failures_total",
        "thanos_bridge_kafka_failures_total",
        "thanos_bridge_clusters_discovered",
        "thanos_bridge_clusters_skipped",
        "thanos_bridge_clusters_unregistered",
        "thanos_bridge_dependency_up",
    ];

    [Fact]
    public void Dashboard_HasTheDatasourceAndClusterIdVariables()
    {
        using var dashboard = Load();
        var variables = dashboard.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray()
            .ToDictionary(v => v.GetProperty("name").GetString()!, StringComparer.Ordinal);

        variables.ShouldContainKey("datasource");
        variables["datasource"].GetProperty("type").GetString().ShouldBe("datasource");
        variables["datasource"].GetProperty("query").GetString().ShouldBe("prometheus");
        variables.ShouldContainKey("cluster_id");
        var clusterId = variables["cluster_id"];
        clusterId.GetProperty("type").GetString().ShouldBe("query");
        clusterId.GetProperty("datasource").GetProperty("uid").GetString().ShouldBe(DatasourceUid);
        var query = clusterId.GetProperty("query").GetProperty("query").GetString()!;
        var labelValues = LabelValues().Match(query);
        labelValues.Success.ShouldBeTrue(query);
        labelValues.Groups[2].Value.ShouldBe("cluster_id");
        OperationsFiles.ExportedSeriesNames().ShouldContain(labelValues.Groups[1].Value);
    }

    [Fact]
    public void EveryPanelAndQuery_UsesTheDatasourceVariable()
    {
        using var dashboard = Load();
        foreach (var panel in Panels(dashboard).Where(p => p.GetProperty("type").GetString() != "row"))
        {
            var title = panel.GetProperty("title").GetString();
            panel.GetProperty("datasource").GetProperty("uid").GetString().ShouldBe(DatasourceUid, title);
            panel.GetProperty("targets").GetArrayLength().ShouldBeGreaterThan(0, title);
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
            {
                target.GetProperty("datasource").GetProperty("uid").GetString().ShouldBe(DatasourceUid, title);
            }
        }
    }

    [Fact]
    public void EveryPanel_HasAUniqueIdATitleADescriptionAndAPosition()
    {
        using var dashboard = Load();
        var panels = Panels(dashboard).ToList();

        panels.Select(p => p.GetProperty("id").GetInt32()).ShouldBeUnique();
        foreach (var panel in panels)
        {
            panel.GetProperty("title").GetString().ShouldNotBeNullOrWhiteSpace();
            panel.GetProperty("gridPos").GetProperty("w").GetInt32().ShouldBeInRange(1, 24);
            if (panel.GetProperty("type").GetString() != "row")
            {
                panel.GetProperty("description").GetString().ShouldNotBeNullOrWhiteSpace(panel.GetProperty("title").GetString());
            }
        }
    }

    [Fact]
    public void PanelExpressions_UseOnlyMetricsTheBridgeExports()
    {
        var exported = OperationsFiles.ExportedSeriesNames();
        exported.Count.ShouldBeGreaterThan(15, "docs/metrics.md's table was not read");

        foreach (var (title, expression) in Expressions())
        {
            var names = PromqlMetricNames.Of(expression);
            names.ShouldNotBeEmpty($"{title}: {expression}");
            names.Where(n => n != "up" && !exported.Contains(n)).ShouldBeEmpty($"panel \"{title}\" uses metrics the bridge does not export: {expression}");
        }
    }

    [Fact]
    public void Panels_CoverRunsFreshnessQueriesDeliveryDiscoveryAndDependencies()
    {
        var used = Expressions().SelectMany(e => PromqlMetricNames.Of(e.Expression)).ToHashSet(StringComparer.Ordinal);

        RequiredSeries.Where(s => !used.Contains(s)).ShouldBeEmpty("series no panel shows");
    }

    [Fact]
    public void PerClusterPanels_FilterOnTheClusterIdVariable()
    {
        foreach (var (title, expression) in Expressions().Where(e => e.Expression.Contains("cluster_last_delivered_hour", StringComparison.Ordinal)
            || e.Expression.Contains("pod_resources_source", StringComparison.Ordinal)))
        {
            expression.ShouldContain("cluster_id=~\"$cluster_id\"", customMessage: title);
        }
    }

    [Fact]
    public void OperationsDoc_DashboardTable_DescribesExactlyThePanels()
    {
        using var dashboard = Load();
        var titles = Panels(dashboard).Where(p => p.GetProperty("type").GetString() != "row").Select(p => p.GetProperty("title").GetString()!);
        var doc = File.ReadAllText(Path.Combine(OperationsFiles.Root, "docs", "operations.md"));

        var documented = OperationsFiles.TableRows(OperationsFiles.Section(doc, "Dashboard") ?? "").Select(r => r[0]);

        documented.Order(StringComparer.Ordinal).ShouldBe(titles.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task PanelExpressions_ParseAsPromql()
    {
        // promtool check rules parses each expression as a recording rule (Grafana's variables replaced by values).
        var rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        var i = 0;
        foreach (var (_, expression) in Expressions())
        {
            var promql = expression.Replace("$__rate_interval", "5m", StringComparison.Ordinal)
                .Replace("$__interval", "1h", StringComparison.Ordinal)
                .Replace("$cluster_id", ".*", StringComparison.Ordinal);
            rules.Append(CultureInfo.InvariantCulture, $"      - record: dashboard:expression_{i++}\n");
            rules.Append("        expr: '").Append(promql.Replace("'", "''", StringComparison.Ordinal)).Append("'\n");
        }

        var temp = Directory.CreateTempSubdirectory("thanos-bridge-dashboard-");
        try
        {
            var file = Path.Combine(temp.FullName, "dashboard-expressions.yaml");
            await File.WriteAllTextAsync(file, rules.ToString(), TestContext.Current.CancellationToken);

            var (exitCode, output) = await PromtoolRunner.RunAsync(["check", "rules", file], temp.FullName);

            exitCode.ShouldBe(0, output);
            output.ShouldContain($"SUCCESS: {i} rules found");
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    private static JsonDocument Load() => JsonDocument.Parse(File.ReadAllText(OperationsFiles.DashboardFile));

    /// <summary>Every panel, including those nested in collapsed rows.</summary>
    private static IEnumerable<JsonElement> Panels(JsonDocument dashboard)
    {
        var pending = new Stack<JsonElement>(dashboard.RootElement.GetProperty("panels").EnumerateArray().Reverse());
        while (pending.Count > 0)
        {
            var panel = pending.Pop();
            yield return panel;
            if (panel.TryGetProperty("panels", out var nested))
            {
                foreach (var child in nested.EnumerateArray().Reverse())
                {
                    pending.Push(child);
                }
            }
        }
    }

    private static List<(string Title, string Expression)> Expressions()
    {
        using var dashboard = Load();
        return
        [
            .. Panels(dashboard)
                .Where(p => p.TryGetProperty("targets", out _))
                .SelectMany(p => p.GetProperty("targets").EnumerateArray()
                    .Select(t => (p.GetProperty("title").GetString()!, t.GetProperty("expr").GetString()!))),
        ];
    }

    [GeneratedRegex(@"^label_values\((\w+),\s*(\w+)\)$")]
    private static partial Regex LabelValues();
}
