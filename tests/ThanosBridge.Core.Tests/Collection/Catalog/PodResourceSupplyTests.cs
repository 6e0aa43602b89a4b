using ThanosBridge.Core.Collection.Catalog;
using ThanosBridge.Core.Collection.Prometheus;
using ThanosBridge.Core.Collection.Promql;
using ThanosBridge.Core.Discovery;

namespace ThanosBridge.Core.Tests.Collection.Catalog;

public class PodResourceSupplyTests
{
    [Theory]
    [InlineData(288, 288, PodResourceSource.Raw)]
    [InlineData(288, 0, PodResourceSource.Raw)]
    [InlineData(0, 288, PodResourceSource.Recorded)]
    [InlineData(24, 288, PodResourceSource.Recorded)]
    [InlineData(289, 288, PodResourceSource.Raw)]
    [InlineData(0, 0, PodResourceSource.Missing)]
    public void Choose_RecordedOnlyWithMoreSamples_RawOnATie_MissingWithNeither(double raw, double recorded, PodResourceSource expected) =>
        PodResourceSupply.Choose(raw, recorded).ShouldBe(expected);

    [Fact]
    public void Decide_ReadsEachFamilysSampleCounts_FromTheProbesLabelledSeries()
    {
        static Series Count(string family, string source, double samples) =>
            new(LabelSet.Of(("family", family), ("source", source)), [new Sample(0, samples)]);
        var answer = new QueryResult([Count("requests", "raw", 40), Count("requests", "recorded", 288), Count("limits", "raw", 288)], []);

        var sources = PodResourceSupply.Decide(answer);

        sources[PodResourceFamily.Requests].ShouldBe(PodResourceSource.Recorded);
        sources[PodResourceFamily.Limits].ShouldBe(PodResourceSource.Raw);
        PodResourceSupply.Decide(QueryResult.Empty).Values.ShouldAllBe(s => s == PodResourceSource.Missing);
    }

    [Fact]
    public void Reads_ExactlyThePodRosAndGpuCapacityQueriesOfTheFamilies()
    {
        var reading = QueryCatalog.All.Where(PodResourceSupply.Reads).ToList();

        reading.Count(q => q.Set == QuerySet.Pod).ShouldBe(4);
        reading.Count(q => q.Set == QuerySet.RosContainer).ShouldBe(8);
        reading.Where(q => q.Set == QuerySet.GpuNonMigCapacity).Select(q => q.Name).ShouldBe(["nvidia-gpu-memory-capacity-mib-non-mig"], "requests of resource nvidia_com_gpu");
        reading.Count.ShouldBe(13);
    }

    [Fact]
    public void ReadFrom_Recorded_RenamesEverySelectorOfThatFamily_AndNothingElse()
    {
        var query = QueryCatalog.Get("cpu-request-container-avg");
        var sources = new Dictionary<PodResourceFamily, PodResourceSource>
        {
            [PodResourceFamily.Requests] = PodResourceSource.Recorded,
            [PodResourceFamily.Limits] = PodResourceSource.Raw,
        };

        var expression = PodResourceSupply.ReadFrom(query.Expression, sources);

        expression.ShouldBe(query.Expression.Replace("kube_pod_container_resource_requests{", "thanos_bridge:kube_pod_container_resource_requests:max{", StringComparison.Ordinal));
        expression.ShouldNotContain("kube_pod_container_resource_requests{");
        PodResourceSupply.ReadFrom(QueryCatalog.Get("pod-limit-cpu-cores").Expression, sources).ShouldBe(QueryCatalog.Get("pod-limit-cpu-cores").Expression);
    }

    [Theory]
    [InlineData(PodResourceSource.Raw)]
    [InlineData(PodResourceSource.Missing)]
    public void ReadFrom_RawOrMissing_LeavesTheQueryAsCmmoWroteIt(PodResourceSource source)
    {
        var query = QueryCatalog.Get("pod-request-memory-bytes");
        var sources = PodResourceSupply.Families.ToDictionary(f => f, _ => source);

        PodResourceSupply.ReadFrom(query.Expression, sources).ShouldBe(query.Expression);
        PodResourceSupply.ReadFrom(query.Expression, null).ShouldBe(query.Expression);
    }

    [Fact]
    public void Probe_CountsBothSourcesOfBothFamilies_OverTheWindow_AndTakesTheClusterMatcher()
    {
        var probe = PodResourceSupply.Probe(TimeSpan.FromMinutes(90.5));

        var selectors = PromqlParser.Parse(probe.Expression).DescendantsAndSelf().OfType<VectorSelector>().Select(s => s.MetricName).ToList();
        selectors.ShouldBe(
        [
            "kube_pod_container_resource_requests", "thanos_bridge:kube_pod_container_resource_requests:max",
            "kube_pod_container_resource_limits", "thanos_bridge:kube_pod_container_resource_limits:max",
        ]);
        probe.Expression.ShouldContain("count_over_time(kube_pod_container_resource_limits[5430s])");
        probe.Set.ShouldBe(QuerySet.Probe);
        probe.Name.ShouldBe("probe-pod-resources");
        ClusterLabelInjector.Inject(probe.Expression, "clusterID", ClusterId.Parse("c1")).Split("clusterID=\"c1\"").Length.ShouldBe(5);
    }

    [Fact]
    public void RecordingExpression_KeepsEveryLabelTheCatalogsRequestAndLimitQueriesUse()
    {
        var used = QueryCatalog.All.Where(PodResourceSupply.Reads)
            .SelectMany(q => PromqlParser.Parse(q.Expression).DescendantsAndSelf().OfType<VectorSelector>()
                .Where(s => s.MetricName is "kube_pod_container_resource_requests" or "kube_pod_container_resource_limits")
                .SelectMany(s => s.Matchers.Select(m => m.Name)))
            .Concat(["pod", "namespace", "node", "container"]) // the queries' by () and on () clauses
            .ToHashSet(StringComparer.Ordinal);

        PodResourceSupply.RecordedLabels.ShouldBeSubsetOf(used.Append("uid"));
        used.ShouldBeSubsetOf(PodResourceSupply.RecordedLabels);
        PodResourceSupply.RecordingExpression(PodResourceFamily.Limits)
            .ShouldBe("max by (namespace, pod, uid, container, node, resource, unit) (kube_pod_container_resource_limits)");
        PromqlParser.Parse(PodResourceSupply.RecordingExpression(PodResourceFamily.Requests)).ShouldNotBeNull();
    }
}
