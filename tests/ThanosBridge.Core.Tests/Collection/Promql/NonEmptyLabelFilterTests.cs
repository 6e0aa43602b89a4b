using ThanosBridge.Core.Collection.Catalog;
using ThanosBridge.Core.Collection.Promql;

namespace ThanosBridge.Core.Tests.Collection.Promql;

/// <summary>Where the rewrite puts the filter; that the answers stay the same is proven against Prometheus (integration tests).</summary>
public class NonEmptyLabelFilterTests
{
    [Theory]
    [InlineData("x{pod!='', a='b'}", "(x{a='b'} unless on(pod) vector(0))")]
    [InlineData("x{a='b', pod!=''}", "(x{a='b'} unless on(pod) vector(0))")]
    [InlineData("x{a='b', pod!='', c!=''}", "(x{a='b', c!=''} unless on(pod) vector(0))")]
    [InlineData("x{pod!=''}", "(x{} unless on(pod) vector(0))")]
    [InlineData("x{a='b',pod!='',}", "(x{a='b',} unless on(pod) vector(0))")]
    [InlineData("max by (pod) (rate(x{pod!='', a='b'}[5m]))", "max by (pod) ((rate(x{a='b'}[5m]) unless on(pod) vector(0)))")]
    [InlineData("sum by (pod) (rate(x{pod!=''}[5m]) * on(ns) group_left y)", "sum by (pod) ((rate(x{}[5m]) unless on(pod) vector(0)) * on(ns) group_left y)")]
    [InlineData("x{pod!=''} * on(pod) group_left y{pod!=''}", "(x{} unless on(pod) vector(0)) * on(pod) group_left (y{} unless on(pod) vector(0))")]
    [InlineData("x{pod!=''} offset 5m", "(x{} offset 5m unless on(pod) vector(0))")]
    public void Hoist_PutsTheFilterOnWhatTheSelectorOrItsPerSeriesFunctionReturns(string expression, string expected) =>
        NonEmptyLabelFilter.Hoist(expression, "pod").ShouldBe(expected);

    [Theory]
    [InlineData("x{pod='a'}")]
    [InlineData("x{pod!='a'}")]
    [InlineData("x{exported_pod!=''}")]
    [InlineData("{pod!='', __name__=~'x.+'}")]
    [InlineData("absent_over_time(x{pod!=''}[5m])")]
    [InlineData("quantile_over_time(0.9, x{pod!=''}[5m])")]
    [InlineData("sum by (pod) (rate(x{pod!='', a='b'}[5m]))")]
    [InlineData("avg_over_time(sum by(ns) ((x{pod!=''}))[15m:])")]
    public void Hoist_LeavesEverythingElseAsWritten(string expression) =>
        NonEmptyLabelFilter.Hoist(expression, "pod").ShouldBe(expression);

    [Fact]
    public void Hoist_TheCatalog_StillParses_AndKeepsPodNotEmptyOnlyWhereASumReadsTheSelector()
    {
        var kept = new List<string>();
        foreach (var query in QueryCatalog.All)
        {
            foreach (var expression in new[] { query.Expression, query.Counter?.Expression }.OfType<string>())
            {
                var hoisted = NonEmptyLabelFilter.Hoist(expression, "pod");
                if (PromqlParser.Parse(hoisted).DescendantsAndSelf().OfType<VectorSelector>().SelectMany(s => s.Matchers)
                    .Any(m => m.Name == "pod" && m.Operator == LabelMatchOperator.NotEqual && m.Value == ""))
                {
                    kept.Add(query.Name);
                }
            }
        }

        // Each sums or averages straight from the selector or its rate: the pod usage queries (pod-usage-cpu-cores as CMMO
        // writes it; its counter form on hub data is filtered), the ROS namespace usage queries, and three accelerator queries.
        kept.Order(StringComparer.Ordinal).ShouldBe([
            "accelerator-core-usage-percentage-avg", "accelerator-frame-buffer-usage-avg", "accelerator-memory-copy-percentage-avg",
            "cpu-throttle-namespace-avg", "cpu-throttle-namespace-max", "cpu-throttle-namespace-min",
            "cpu-usage-namespace-avg", "cpu-usage-namespace-max", "cpu-usage-namespace-min",
            "memory-rss-usage-namespace-avg", "memory-rss-usage-namespace-max", "memory-rss-usage-namespace-min",
            "memory-usage-namespace-avg", "memory-usage-namespace-max", "memory-usage-namespace-min",
            "pod-usage-cpu-cores", "pod-usage-memory-bytes",
        ]);
    }
}
