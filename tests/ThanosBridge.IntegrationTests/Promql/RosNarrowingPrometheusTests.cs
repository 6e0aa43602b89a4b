using ThanosBridge.Adapters.Thanos;
using ThanosBridge.Core.Collection;
using ThanosBridge.Core.Collection.Catalog;
using ThanosBridge.Core.Collection.Prometheus;
using ThanosBridge.Core.Collection.Promql;
using ThanosBridge.Core.Discovery;
using ThanosBridge.IntegrationTests.Pipeline;
using ThanosBridge.TestSupport;

namespace ThanosBridge.IntegrationTests.Promql;

/// <summary>
/// Narrowing the ROS queries to the namespaces the gate found must not change a single answer: every marked query, sent
/// as planned with and without the narrowing to the stack's real Prometheus for a demo cluster-day, returns the same
/// series with the same samples, bit for bit, while the demo data holds ROS series in namespaces the gate did not return.
/// </summary>
public class RosNarrowingPrometheusTests
{
    // alpha and gamma run containers in namespaces that are not opted in (beta's are all opted in).
    [Theory]
    [InlineData("alpha")]
    [InlineData("gamma")]
    public async Task EveryNarrowedRosQuery_AnswersExactlyAsTheWholeClusterQuery(string name)
    {
        var ct = TestContext.Current.CancellationToken;
        var expect = DemoExpectations.Load();
        var clusterId = ClusterId.Parse(expect.ClusterId(name));
        var request = new CollectionRequest(clusterId, "clusterID", expect.LastFullDay(), 24, TimeSpan.FromSeconds(300), RosEnabled: true);
        var options = new ThanosClientOptions { BaseUrl = StackEnvironment.Current.ThanosQueryUrl };
        using var http = ThanosHttpClientFactory.CreateHttpClient(options);
        var client = new ThanosQueryClient(http, options, TimeProvider.System);
        Task<QueryResult> Ask(PlannedQuery planned) => client.QueryRangeAsync(new QueryRangeRequest(planned.Query.Name, clusterId,
            ClusterLabelInjector.Inject(planned.Expression, "clusterID", clusterId), planned.Range.Start, planned.Range.End, planned.Range.Step,
            planned.Range.Lookback), ct);

        var gate = await Ask(ReportCollector.Plan(QueryCatalog.Of(QuerySet.RosGate).Single(), request));
        string[] gateNamespaces = [.. gate.Series.Select(s => s.Labels["namespace"]).Distinct()];
        gateNamespaces.ShouldNotBeEmpty("the demo data opts namespaces into resource optimization");
        var containers = await Ask(new PlannedQuery(QueryCatalog.Get("container-image-owner"), "count by (namespace) (kube_pod_container_info)",
            ReportCollector.Plan(QueryCatalog.Get("container-image-owner"), request).Range));
        containers.Series.Select(s => s.Labels["namespace"]).Except(gateNamespaces).ShouldNotBeEmpty(
            "ROS series outside the opted-in namespaces, or the comparison proves nothing");

        var answered = 0;
        foreach (var query in QueryCatalog.All.Where(q => q.OnlyGateNamespaces))
        {
            var whole = await Ask(ReportCollector.Plan(query, request));
            var narrowed = ReportCollector.Plan(query, request, gateNamespaces);
            narrowed.Expression.ShouldNotBe(query.Expression);
            Canonical(await Ask(narrowed)).ShouldBe(Canonical(whole), query.Name);
            answered += whole.Series.Count > 0 ? 1 : 0;
        }

        answered.ShouldBeGreaterThan(20, "most narrowed queries return rows on the demo data");
    }

    private static List<string> Canonical(QueryResult result) =>
    [
        .. result.Series
            .Select(s => s.Labels.ToString() + " " + string.Join(' ', s.Samples.Select(p => $"{p.TimestampMs}:{BitConverter.DoubleToInt64Bits(p.Value):x}")))
            .Order(StringComparer.Ordinal),
    ];
}
