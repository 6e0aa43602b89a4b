using System.Net.Http.Json;
using System.Text.Json;
using ThanosBridge.TestSupport;

namespace ThanosBridge.IntegrationTests.Stack;

/// <summary>The stack's Prometheus stands in for Thanos Query: demo series of several clusters, told apart by clusterID.</summary>
public class PrometheusStackTests
{
    private static readonly HttpClient Http = new() { BaseAddress = StackEnvironment.Current.ThanosQueryUrl };

    [Fact]
    public async Task LabelValues_ClusterId_ListsAtLeastThreeDemoClusters()
    {
        var clusters = await ClusterIds();
        clusters.Count.ShouldBeGreaterThanOrEqualTo(3);
    }

    [Fact]
    public async Task QueryRange_FilteredByClusterId_ReturnsOnlyThatCluster()
    {
        var clusters = await ClusterIds();
        var unfiltered = await QueryRangeClusters("kube_node_info");
        unfiltered.Count.ShouldBeGreaterThan(1, "without the matcher the demo data must span several clusters, or the filter test proves nothing");

        foreach (var id in clusters.Take(3))
        {
            var filtered = await QueryRangeClusters($"kube_node_info{{clusterID=\"{id}\"}}");
            filtered.ShouldBe([id]);
        }
    }

    private static async Task<List<string>> ClusterIds()
    {
        using var doc = await Http.GetFromJsonAsync<JsonDocument>("api/v1/label/clusterID/values", TestContext.Current.CancellationToken);
        return [.. doc!.RootElement.GetProperty("data").EnumerateArray().Select(e => e.GetString()!)];
    }

    private static async Task<HashSet<string>> QueryRangeClusters(string query)
    {
        var end = DateTimeOffset.FromUnixTimeSeconds(long.Parse(StackEnvironment.Current["DEMO_DATA_END"], System.Globalization.CultureInfo.InvariantCulture));
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["query"] = query,
            ["start"] = end.AddHours(-6).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["end"] = end.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["step"] = "300",
        });
        using var response = await Http.PostAsync("api/v1/query_range", form, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        using var doc = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken), cancellationToken: TestContext.Current.CancellationToken);
        var data = doc.RootElement.GetProperty("data");
        data.GetProperty("resultType").GetString().ShouldBe("matrix");
        var result = data.GetProperty("result").EnumerateArray().ToList();
        result.ShouldNotBeEmpty();
        return [.. result.Select(s => s.GetProperty("metric").GetProperty("clusterID").GetString()!)];
    }
}
