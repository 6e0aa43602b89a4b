using System.Globalization;
using ThanosBridge.Adapters.Thanos;
using ThanosBridge.Core.Discovery;
using ThanosBridge.TestSupport;

namespace ThanosBridge.IntegrationTests.Thanos;

/// <summary>The client against the stack's real Prometheus (the Thanos Query stand-in, backfilled with demo data).</summary>
public sealed class ThanosQueryClientIntegrationTests : IDisposable
{
    private readonly ThanosClientOptions options;
    private readonly HttpClient http;
    private readonly ThanosQueryClient client;

    public ThanosQueryClientIntegrationTests()
    {
        options = new ThanosClientOptions { BaseUrl = StackEnvironment.Current.ThanosQueryUrl };
        http = ThanosHttpClientFactory.CreateHttpClient(options);
        client = new ThanosQueryClient(http, options, TimeProvider.System);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The demo data ends at DEMO_DATA_END (reused data is not "now"); the last 6 h of it.</summary>
    private static DateTimeOffset DataEnd =>
        StackEnvironment.Current.Values.TryGetValue("DEMO_DATA_END", out var end)
            ? DateTimeOffset.FromUnixTimeSeconds(long.Parse(end, CultureInfo.InvariantCulture))
            : TimeProvider.System.GetUtcNow();

    public void Dispose() => http.Dispose();

    [Fact]
    public async Task QueryRangeAsync_KubeNodeInfoOfOneCluster_ReturnsOnlyThatClustersSeries()
    {
        var clusters = await client.LabelValuesAsync("clusterID", Ct);
        clusters.ShouldNotBeEmpty();
        var clusterId = clusters[0];

        var result = await client.QueryRangeAsync(
            new QueryRangeRequest("node-info", ClusterId.Parse(clusterId), $"kube_node_info{{clusterID=\"{clusterId}\"}}",
                DataEnd.AddHours(-6), DataEnd, TimeSpan.FromSeconds(60)),
            Ct);

        result.Series.ShouldNotBeEmpty();
        result.Series.ShouldAllBe(s => s.Labels["clusterID"] == clusterId && s.Labels["__name__"] == "kube_node_info");
        result.Series.ShouldAllBe(s => s.Samples.Count > 0 && s.Samples.Count <= 361);
        result.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public async Task QueryRangeAsync_SyntaxError_FailsWithBadDataAfterOneAttempt()
    {
        var e = await Should.ThrowAsync<ThanosQueryException>(() => client.QueryRangeAsync(
            new QueryRangeRequest("broken", ClusterId.Parse("any"), "sum(kube_node_info{clusterID=\"x\"}", DataEnd.AddHours(-1), DataEnd,
                TimeSpan.FromSeconds(60)),
            Ct));

        e.Reason.ShouldBe(ThanosFailureReason.BadData);
        e.ErrorType.ShouldBe("bad_data");
        e.Attempts.ShouldBe(1);
        e.Message.ShouldStartWith("query broken for cluster any: HTTP 400 after 1 attempt: ");
    }
}
