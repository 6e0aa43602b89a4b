using ThanosBridge.Core.Collection.Catalog;
using ThanosBridge.Core.Collection.Promql;
using ThanosBridge.Core.Discovery;

namespace ThanosBridge.Core.Tests.Collection.Catalog;

public class HubRenamesTests
{
    public static TheoryData<string> QueriesReadingARenamedMetric() => [.. Reading()];

    [Fact]
    public void TheRosCpuUsageQueries_AreTheOnesReadingARenamedMetric() =>
        Reading().Order(StringComparer.Ordinal).ShouldBe(
        [
            "cpu-usage-container-avg", "cpu-usage-container-max", "cpu-usage-container-min", "cpu-usage-container-sum",
            "cpu-usage-namespace-avg", "cpu-usage-namespace-max", "cpu-usage-namespace-min",
        ]);

    [Theory]
    [MemberData(nameof(QueriesReadingARenamedMetric))]
    public void ReadFrom_ReadsBothNames_AsOftenAsTheQueryReadsCmmos_AndTheClusterLabelReachesEverySelector(string name)
    {
        var query = QueryCatalog.All.Single(q => q.Name == name);
        var (cmmoName, hubName) = HubRenames.ByCmmoName.Single();

        var rewritten = HubRenames.ReadFrom(query.Expression);
        var injected = ClusterLabelInjector.Inject(rewritten, "clusterID", ClusterId.Parse("c-1"));

        var names = Names(rewritten);
        names.Count(n => n == hubName).ShouldBe(names.Count(n => n == cmmoName));
        names.Count(n => n == cmmoName).ShouldBe(Names(query.Expression).Count(n => n == cmmoName));
        PromqlParser.Parse(injected).DescendantsAndSelf().OfType<VectorSelector>()
            .ShouldAllBe(s => s.Matchers.Any(m => m.Name == "clusterID" && m.Value == "c-1"));
    }

    [Fact]
    public void ReadFrom_AQueryReadingNoRenamedMetric_IsUnchanged()
    {
        var query = QueryCatalog.All.First(q => q.Name == "pod-usage-cpu-cores");

        HubRenames.ReadFrom(query.Expression).ShouldBe(query.Expression);
    }

    private static IEnumerable<string> Reading() =>
        QueryCatalog.All.Where(q => Names(q.Expression).Any(HubRenames.ByCmmoName.ContainsKey)).Select(q => q.Name);

    private static List<string> Names(string expression) =>
        [.. PromqlParser.Parse(expression).DescendantsAndSelf().OfType<VectorSelector>().Select(s => s.MetricName).OfType<string>()];
}
