using ThanosBridge.Core.Collection.Catalog;
using ThanosBridge.Core.Collection.Prometheus;
using ThanosBridge.Core.Reports;

namespace ThanosBridge.Core.Tests.Reports;

public class SampleSummaryTests
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(60);

    public static TheoryData<ValueMethod> Methods => [.. Enum.GetValues<ValueMethod>()];

    [Theory]
    [MemberData(nameof(Methods))]
    public void Evaluate_GivesCmmosValuesFromTheSummaryAlone(ValueMethod method)
    {
        double[] values = [0.1, 0.2, 0.30000000000000004, 1e17, -1e17, 3];
        var summary = values.Aggregate(SampleSummary.Empty, (s, v) => s.Add(v));

        // The loop CMMO runs (collector.go): Σ in response order, Go's math.Max/Min, n = number of samples.
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += v;
        }

        var expected = method switch
        {
            ValueMethod.Sum => (sum, sum * 60),
            ValueMethod.Max => (1e17, 1e17 * 60 * values.Length),
            ValueMethod.Min => (-1e17, -1e17 * 60),
            ValueMethod.Avg => (sum / values.Length, sum / values.Length * 60),
            _ => (3.0, 3.0),
        };
        summary.Evaluate(method, Step).ShouldBe(expected);
    }

    [Fact]
    public void Evaluate_NaNAndInfinitiesFollowGo_AndANegativeZeroSumIsPositive()
    {
        var withNaN = SampleSummary.Empty.Add(1).Add(double.NaN).Add(2);
        withNaN.Evaluate(ValueMethod.Max, Step).Value.ShouldBe(double.NaN);
        withNaN.Add(double.PositiveInfinity).Evaluate(ValueMethod.Max, Step).Value.ShouldBe(double.PositiveInfinity);
        withNaN.Add(double.NegativeInfinity).Evaluate(ValueMethod.Min, Step).Value.ShouldBe(double.NegativeInfinity);

        var negativeZero = SampleSummary.Empty.Add(-0.0).Evaluate(ValueMethod.Sum, Step).Value;
        double.IsNegative(negativeZero).ShouldBeFalse("CMMO's Σ starts at +0, and +0 + −0 is +0");
    }

    [Fact]
    public void HourlySeriesFrom_SummarisesEachHourInResponseOrder_EvenWhenHoursInterleave()
    {
        var hour = new DateTimeOffset(2026, 11, 20, 5, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var series = new Series(LabelSet.Of(("pod", "p")),
            [new Sample(hour + 60_000, 1), new Sample(hour + 3_600_000, 10), new Sample(hour + 120_000, 2), new Sample(hour + 3_660_000, 20)]);

        var hourly = HourlySeries.From(new QueryResult([series], [])).Single();

        hourly.Hours.Select(h => (h.Key, h.Value.Sum, h.Value.Count, h.Value.Last)).ShouldBe([(hour, 3.0, 2, 2.0), (hour + 3_600_000, 30.0, 2, 20.0)]);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void HourlySeriesFor_KeepsOnlyWhatTheQuerysMethodReads_AndEvaluatesAsTheFullSummary(ValueMethod method)
    {
        var hour = new DateTimeOffset(2026, 11, 20, 5, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        double[] values = [0.1, 0.2, double.NaN, 1e17, -1e17, 3, -0.0, double.PositiveInfinity, 7, 0.30000000000000004];
        var series = new Series(LabelSet.Of(("pod", "p")), [.. values.Select((v, i) => new Sample(hour + (i * 900_000L), v))]);
        var query = new QueryDefinition("q", QuerySet.Pod, "q", ["pod"], [], [], new ValueSpec(method, "value", "seconds"));

        var full = HourlySeries.Of(series);
        var kept = HourlySeries.For(query, series);

        kept.Hours.Select(h => h.Key).ShouldBe(full.Hours.Select(h => h.Key));
        kept.Hours.Select(h => h.Value.Evaluate(method, Step)).ShouldBe(full.Hours.Select(h => h.Value.Evaluate(method, Step)));
        kept.Hours.Select(h => h.Value.Count).ShouldBe([4, 4, 2]);
    }

    [Fact]
    public void HourlySeriesFor_ALabelsOnlyQuery_KeepsTheHoursItWasPresentIn()
    {
        var hour = new DateTimeOffset(2026, 11, 20, 5, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var series = new Series(LabelSet.Of(("pod", "p")), [new Sample(hour, 1), new Sample(hour + 7_200_000, 1)]);
        var query = new QueryDefinition("labels", QuerySet.Pod, "labels", ["pod"], [], [], null);

        HourlySeries.For(query, series).Hours.Select(h => (h.Key, h.Value.Count)).ShouldBe([(hour, 1), (hour + 7_200_000, 1)]);
    }
}
