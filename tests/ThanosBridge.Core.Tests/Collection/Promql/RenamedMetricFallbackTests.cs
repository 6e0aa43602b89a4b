using ThanosBridge.Core.Collection.Promql;

namespace ThanosBridge.Core.Tests.Collection.Promql;

public class RenamedMetricFallbackTests
{
    private static readonly Dictionary<string, string> Fallbacks = new(StringComparer.Ordinal) { ["a:irate"] = "a:rate5m" };

    [Theory]
    [InlineData("a:irate", "(a:irate or a:rate5m)")]
    [InlineData("sum by(n) (a:irate{c!=''})", "(sum by(n) (a:irate{c!=''}) or sum by(n) (a:rate5m{c!=''}))")]
    [InlineData("sum by(n) (a:irate{c!=''} * on(n) group_left x)", "sum by(n) ((a:irate{c!=''} or a:rate5m{c!=''}) * on(n) group_left x)")]
    [InlineData("avg by(c) (avg_over_time(a:irate{c!=''}[15m]) * on(n) group_left x)",
        "avg by(c) ((avg_over_time(a:irate{c!=''}[15m]) or avg_over_time(a:rate5m{c!=''}[15m])) * on(n) group_left x)")]
    [InlineData("max_over_time(sum by(n) (a:irate{c!=''})[15m:])", "max_over_time((sum by(n) (a:irate{c!=''}) or sum by(n) (a:rate5m{c!=''}))[15m:])")]
    [InlineData("rate(b[5m]) + a:irate2", "rate(b[5m]) + a:irate2")]
    public void Apply_ReadsTheSecondNameBesideTheFirst_AtTheInstantVector(string expression, string expected)
    {
        var rewritten = RenamedMetricFallback.Apply(expression, Fallbacks);

        rewritten.ShouldBe(expected);
        PromqlParser.Parse(rewritten).ShouldNotBeNull();
    }

    [Fact]
    public void Apply_AMetricSelectedThroughNameMatcher_Throws() =>
        Should.Throw<ArgumentException>(() => RenamedMetricFallback.Apply("sum({__name__='a:irate', x='1'})", Fallbacks));
}
