namespace ThanosBridge.OperationsTests.Chart;

public sealed class PromqlMetricNamesTests
{
    [Theory]
    [InlineData("up{job=~\".*thanos-bridge.*\"} == 0 or absent(up{job=~\".*thanos-bridge.*\"})", new[] { "up" })]
    [InlineData("time() - max by (namespace, job) (max_over_time(a_seconds[12h] offset 12h)) > 12 * 3600", new[] { "a_seconds" })]
    [InlineData("histogram_quantile(0.95, sum by (le) (rate(x_bucket[$__rate_interval])))", new[] { "x_bucket" })]
    [InlineData("a > on (namespace, job) group_left () (b or c * 0) and d{q=\"1e9\"} > 1e9", new[] { "a", "b", "c", "d" })]
    [InlineData("sum(rate(x_total{cluster_id=~\"$cluster_id\"}[5m])) unless y", new[] { "x_total", "y" })]
    public void Of_Expression_ReturnsTheSelectedMetricNames(string expression, string[] expected)
    {
        PromqlMetricNames.Of(expression).Order(StringComparer.Ordinal).ShouldBe(expected.Order(StringComparer.Ordinal));
    }
}
