using System.Text;
using ThanosBridge.Core.Collection.Prometheus;

namespace ThanosBridge.Core.Tests.Collection.Prometheus;

public class PrometheusJsonWriterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string WriteToString(QueryResult result)
    {
        using var buffer = new MemoryStream();
        PrometheusJsonWriter.Write(result, buffer);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static async Task<QueryResult> RoundTripAsync(QueryResult result)
    {
        using var buffer = new MemoryStream();
        PrometheusJsonWriter.Write(result, buffer);
        buffer.Position = 0;
        return await PrometheusJsonReader.ReadQueryRangeAsync(buffer, Ct);
    }

    [Fact]
    public void Write_SmallMatrix_SpellsItAsPrometheusDoes()
    {
        var result = new QueryResult(
            [
                new Series(LabelSet.Of(("pod", "a"), ("__name__", "up")), [new Sample(1604685600000, 1), new Sample(1604685660120, double.NaN)]),
                new Series(LabelSet.Empty, [new Sample(1604685600005, double.PositiveInfinity), new Sample(-1500, 1e-7)]),
            ],
            ["partial response"]);

        WriteToString(result).ShouldBe(
            """{"status":"success","data":{"resultType":"matrix","result":[""" +
            """{"metric":{"__name__":"up","pod":"a"},"values":[[1604685600,"1"],[1604685660.120,"NaN"]]},""" +
            """{"metric":{},"values":[[1604685600.005,"+Inf"],[-1.500,"1e-07"]]}]},"warnings":["partial response"]}""");
    }

    [Fact]
    public void Write_NoWarnings_OmitsTheField()
    {
        WriteToString(QueryResult.Empty).ShouldBe("""{"status":"success","data":{"resultType":"matrix","result":[]}}""");
    }

    // Expected strings are Go's strconv.FormatFloat(v, 'f' or 'e', -1, 64) as Prometheus's jsonutil.MarshalValue uses it.
    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(1.0, "1")]
    [InlineData(-1.0, "-1")]
    [InlineData(0.1, "0.1")]
    [InlineData(0.25, "0.25")]
    [InlineData(1.0 / 3, "0.3333333333333333")]
    [InlineData(123456789.123, "123456789.123")]
    [InlineData(1e15, "1000000000000000")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(123456789012345680000.0, "123456789012345680000")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1.5e300, "1.5e+300")]
    [InlineData(1e-6, "0.000001")]
    [InlineData(1.234e-6, "0.000001234")]
    [InlineData(9.99e-7, "9.99e-07")]
    [InlineData(-2.5e-10, "-2.5e-10")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(double.MaxValue, "1.7976931348623157e+308")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    public void FormatValue_Value_MatchesGoSpelling(double value, string expected)
    {
        PrometheusJsonWriter.FormatValue(value).ShouldBe(expected);
    }

    [Fact]
    public void FormatValue_NegativeZero_KeepsSign()
    {
        PrometheusJsonWriter.FormatValue(-0.0).ShouldBe("-0");
    }

    [Theory]
    [InlineData(1604685600000, "1604685600")]
    [InlineData(1604685600120, "1604685600.120")]
    [InlineData(1604685600005, "1604685600.005")]
    [InlineData(999, "0.999")]
    [InlineData(0, "0")]
    [InlineData(-1500, "-1.500")]
    public void FormatTimestamp_Milliseconds_MatchesPrometheusSpelling(long ms, string expected)
    {
        PrometheusJsonWriter.FormatTimestamp(ms).ShouldBe(expected);
    }

    [Fact]
    public void FormatValue_RandomBitPatterns_ParseBackToTheSameDouble()
    {
        var random = new Random(20260805);
        Span<byte> bits = stackalloc byte[8];
        for (var i = 0; i < 20_000; i++)
        {
            random.NextBytes(bits);
            var value = BitConverter.ToDouble(bits);
            var text = PrometheusJsonWriter.FormatValue(value);

            PrometheusJsonSeriesConverter.TryParseValue(Encoding.ASCII.GetBytes(text), out var parsed).ShouldBeTrue(text);
            if (double.IsNaN(value))
            {
                double.IsNaN(parsed).ShouldBeTrue(text);
            }
            else
            {
                BitConverter.DoubleToInt64Bits(parsed).ShouldBe(BitConverter.DoubleToInt64Bits(value), text);
            }
        }
    }

    [Fact]
    public async Task WriteThenRead_EdgeValuesAndLabels_RoundTrips()
    {
        var original = new QueryResult(
            [
                new Series(
                    LabelSet.Of(("__name__", "kube_pod_labels"), ("label_app", "caf\u00e9 \"quoted\" \\ <tag> & +"), ("clusterID", "3f0e")),
                    [
                        new Sample(1604685600000, double.NaN),
                        new Sample(1604685660001, double.PositiveInfinity),
                        new Sample(1604685720010, double.NegativeInfinity),
                        new Sample(1604685780100, -0.0),
                        new Sample(1604685840999, 5e-324),
                        new Sample(1604685900000, double.MaxValue),
                        new Sample(1604685960000, 0.1 + 0.2),
                    ]),
                new Series(LabelSet.Of(("a", "")), []),
            ],
            ["w1", "w\u00e9 2"]);

        var read = await RoundTripAsync(original);

        read.Warnings.ShouldBe(original.Warnings);
        read.Series.Count.ShouldBe(2);
        for (var s = 0; s < original.Series.Count; s++)
        {
            read.Series[s].Labels.ShouldBe(original.Series[s].Labels);
            read.Series[s].Samples.Select(x => x.TimestampMs).ShouldBe(original.Series[s].Samples.Select(x => x.TimestampMs));
            read.Series[s].Samples.Select(x => BitConverter.DoubleToInt64Bits(x.Value))
                .ShouldBe(original.Series[s].Samples.Select(x => BitConverter.DoubleToInt64Bits(x.Value)));
        }
    }

    [Fact]
    public async Task WriteThenRead_ManySeries_RoundTripsBeyondTheFlushThreshold()
    {
        var series = Enumerable.Range(0, 5_000)
            .Select(i => new Series(LabelSet.Of(("pod", $"pod-{i}")), [new Sample(1604685600000 + i, i / 7.0)]))
            .ToList();

        var read = await RoundTripAsync(new QueryResult(series, []));

        read.Series.Count.ShouldBe(series.Count);
        read.Series[^1].Labels["pod"].ShouldBe("pod-4999");
        read.Series[^1].Samples[0].ShouldBe(new Sample(1604685604999, 4999 / 7.0));
    }
}
