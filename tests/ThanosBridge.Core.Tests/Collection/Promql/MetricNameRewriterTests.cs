using ThanosBridge.Core.Collection.Promql;

namespace ThanosBridge.Core.Tests.Collection.Promql;

public class MetricNameRewriterTests
{
    private static readonly Dictionary<string, string> Renames = new(StringComparer.Ordinal) { ["a"] = "rec:a:max" };

    [Theory]
    [InlineData("a", "rec:a:max")]
    [InlineData("a{x='a'}", "rec:a:max{x='a'}")]
    [InlineData("sum by (a) (a{x!=''} * on(a) group_left b)", "sum by (a) (rec:a:max{x!=''} * on(a) group_left b)")]
    [InlineData("rate(a[5m]) + max_over_time(a{y='1'}[15m] offset 1h)", "rate(rec:a:max[5m]) + max_over_time(rec:a:max{y='1'}[15m] offset 1h)")]
    [InlineData("ab + ba + label_replace(b, 'a', '$1', 'a', '(.*)')", "ab + ba + label_replace(b, 'a', '$1', 'a', '(.*)')")]
    [InlineData("avg_over_time(sum by(n) (a)[15m:])", "avg_over_time(sum by(n) (rec:a:max)[15m:])")]
    public void Rename_ReplacesOnlySelectedMetricNames_KeepingEveryOtherCharacter(string expression, string expected) =>
        MetricNameRewriter.Rename(expression, Renames).ShouldBe(expected);

    [Fact]
    public void Rename_AMetricSelectedThroughNameMatcher_Throws() =>
        Should.Throw<ArgumentException>(() => MetricNameRewriter.Rename("{__name__='a', x='1'}", Renames));
}
