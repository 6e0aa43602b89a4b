using System.Text;
using ThanosBridge.Core.Collection.Prometheus;

namespace ThanosBridge.Core.Tests.Collection.Prometheus;

public class PrometheusJsonReaderTests
{
    private const string Matrix = """
        {"status":"success","data":{"resultType":"matrix","result":[
          {"metric":{"pod":"pod-b","__name__":"up","clusterID":"x"},"values":[[1604685600,"1"],[1604685660.5,"0.25"]]},
          {"metric":{},"values":[]}
        ]}}
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<QueryResult> ReadAsync(string json) =>
        PrometheusJsonReader.ReadQueryRangeAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), Ct);

    private static string OneSeries(string values) =>
        $$$"""{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"a":"b"},"values":[{{{values}}}]}]}}""";

    [Fact]
    public async Task ReadQueryRangeAsync_Matrix_ReturnsSeriesInResponseOrderWithSortedLabels()
    {
        var result = await ReadAsync(Matrix);

        result.Series.Count.ShouldBe(2);
        result.Series[0].Labels.All.Select(l => l.Key).ShouldBe(["__name__", "clusterID", "pod"]);
        result.Series[0].Labels["pod"].ShouldBe("pod-b");
        result.Series[0].Samples.ShouldBe([new Sample(1604685600000, 1), new Sample(1604685660500, 0.25)]);
        result.Series[1].Labels.Count.ShouldBe(0);
        result.Series[1].Samples.ShouldBeEmpty();
        result.Warnings.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("NaN", double.NaN)]
    [InlineData("+Inf", double.PositiveInfinity)]
    [InlineData("Inf", double.PositiveInfinity)]
    [InlineData("-Inf", double.NegativeInfinity)]
    [InlineData("+inf", double.PositiveInfinity)]
    [InlineData("1e-07", 1e-7)]
    [InlineData("1.5e+21", 1.5e21)]
    [InlineData("-42.125", -42.125)]
    [InlineData("100000000000000000000", 1e20)]
    public async Task ReadQueryRangeAsync_ValueSpelling_ParsesLikeGo(string spelled, double expected)
    {
        var result = await ReadAsync(OneSeries($"[1,\"{spelled}\"]"));

        result.Series[0].Samples[0].Value.ShouldBe(expected);
    }

    [Fact]
    public async Task ReadQueryRangeAsync_NegativeZero_KeepsSign()
    {
        var result = await ReadAsync(OneSeries("[1,\"-0\"]"));

        double.IsNegative(result.Series[0].Samples[0].Value).ShouldBeTrue();
    }

    [Theory]
    [InlineData("1604685600", 1604685600000)]
    [InlineData("1604685600.123", 1604685600123)]
    [InlineData("1604685600.12", 1604685600120)]
    [InlineData("1604685600.0005", 1604685600001)]
    [InlineData("0", 0)]
    [InlineData("-1.5", -1500)]
    [InlineData("1604685600.1", 1604685600100)]
    [InlineData("-0.001", -1)]
    [InlineData("-1604685600.25", -1604685600250)]
    // Not Prometheus's own form (more than three decimals, an exponent, more than 15 integer digits): read exactly too.
    [InlineData("1604685600.9995", 1604685601000)]
    [InlineData("1604685600.0004999", 1604685600000)]
    [InlineData("1.6046856e9", 1604685600000)]
    [InlineData("1604685600E0", 1604685600000)]
    [InlineData("1234567890123456.5", 1234567890123456500)]
    public async Task ReadQueryRangeAsync_TimestampSeconds_ConvertsToMilliseconds(string seconds, long expectedMs)
    {
        var result = await ReadAsync(OneSeries($"[{seconds},\"1\"]"));

        result.Series[0].Samples[0].TimestampMs.ShouldBe(expectedMs);
    }

    [Fact]
    public async Task ReadQueryRangeAsync_LongSeriesThenShortOne_EachKeepsItsOwnSamples()
    {
        // Samples are read into one reused buffer per thread and copied out: a series must not keep or share it.
        var longValues = string.Join(",", Enumerable.Range(0, 700).Select(i => $"[{i},\"{i}\"]"));
        var json = $$$"""{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"a":"1"},"values":[{{{longValues}}}]},{"metric":{"a":"2"},"values":[[5,"0.5"],[6,"0.25"]]}]}}""";

        var result = await ReadAsync(json);

        result.Series[0].Samples.Count.ShouldBe(700);
        result.Series[0].Samples[699].ShouldBe(new Sample(699_000, 699));
        result.Series[1].Samples.ShouldBe([new Sample(5_000, 0.5), new Sample(6_000, 0.25)]);
    }

    [Theory]
    [InlineData("[1,\"abc\"]")]
    [InlineData("[1,\"1,5\"]")]
    [InlineData("[1,\" 1\"]")]
    [InlineData("[1,1]")]
    [InlineData("[\"1\",\"1\"]")]
    [InlineData("[1]")]
    [InlineData("[1,\"1\",2]")]
    public async Task ReadQueryRangeAsync_MalformedSample_ThrowsFormatException(string sample)
    {
        await Should.ThrowAsync<PrometheusResponseFormatException>(() => ReadAsync(OneSeries(sample)));
    }

    [Fact]
    public async Task ReadQueryRangeAsync_EmptyResult_ReturnsNoSeries()
    {
        var result = await ReadAsync("""{"status":"success","data":{"resultType":"matrix","result":[]}}""");

        result.Series.ShouldBeEmpty();
        result.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public async Task ReadQueryRangeAsync_Warnings_ReturnsThemWithTheSeries()
    {
        var result = await ReadAsync("""
            {"status":"success","warnings":["store a unavailable","partial"],
             "data":{"resultType":"matrix","result":[{"metric":{"a":"b"},"values":[[1,"2"]]}]}}
            """);

        result.Warnings.ShouldBe(["store a unavailable", "partial"]);
        result.Series.Count.ShouldBe(1);
    }

    [Fact]
    public async Task ReadQueryRangeAsync_UnknownFields_AreIgnored()
    {
        var result = await ReadAsync("""
            {"status":"success","infos":["info"],"data":{"resultType":"matrix","stats":{"x":[1,{"y":2}]},"result":[
              {"metric":{"a":"b"},"histograms":[[1,{"count":"2"}]],"values":[[1,"2"]],"extra":null}]}}
            """);

        result.Series[0].Samples.ShouldBe([new Sample(1000, 2)]);
        result.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public async Task ReadQueryRangeAsync_ErrorEnvelope_ThrowsApiExceptionWithTypeAndText()
    {
        var e = await Should.ThrowAsync<PrometheusApiException>(() => ReadAsync(
            """{"status":"error","errorType":"bad_data","error":"1:5: parse error: unexpected end of input"}"""));

        e.ErrorType.ShouldBe("bad_data");
        e.Error.ShouldBe("1:5: parse error: unexpected end of input");
    }

    [Theory]
    [InlineData("""{"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":"b"},"value":[1,"2"]}]}}""", "vector")]
    [InlineData("""{"status":"success","data":{"resultType":"vector","result":[]}}""", "vector")]
    [InlineData("""{"status":"success","data":{"resultType":"scalar","result":[1,"2"]}}""", "scalar")]
    [InlineData("""{"status":"success","data":{"resultType":"string","result":[1,"x"]}}""", "string")]
    public async Task ReadQueryRangeAsync_OtherResultType_ThrowsFormatExceptionNamingIt(string json, string resultType)
    {
        var e = await Should.ThrowAsync<PrometheusResponseFormatException>(() => ReadAsync(json));

        e.Message.ShouldContain($"\"{resultType}\"");
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("<html><body>502 Bad Gateway</body></html>")]
    [InlineData("""{"data":{"resultType":"matrix","result":[]}}""")]
    [InlineData("""{"status":"pending","data":{"resultType":"matrix","result":[]}}""")]
    [InlineData("""{"status":"success"}""")]
    [InlineData("""{"status":"success","data":{"resultType":"matrix"}}""")]
    [InlineData("""{"status":"success","data":{"resultType":"matrix","result":[1,"2"]}}""")]
    [InlineData("""{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"a":1},"values":[]}]}}""")]
    public async Task ReadQueryRangeAsync_NotAMatrixResponse_ThrowsFormatException(string body)
    {
        await Should.ThrowAsync<PrometheusResponseFormatException>(() => ReadAsync(body));
    }

    [Fact]
    public async Task ReadQueryRangeAsync_TruncatedAtAnyByte_ThrowsFormatException()
    {
        var bytes = Encoding.UTF8.GetBytes(Matrix.ReplaceLineEndings(""));

        for (var length = 0; length < bytes.Length; length++)
        {
            var prefix = new MemoryStream(bytes, 0, length);
            await Should.ThrowAsync<PrometheusResponseFormatException>(
                () => PrometheusJsonReader.ReadQueryRangeAsync(prefix, Ct), $"cut after {length} bytes");
        }
    }

    [Fact]
    public async Task ReadQueryRangeAsync_StreamFailsMidBody_PropagatesTheIOException()
    {
        var bytes = Encoding.UTF8.GetBytes(Matrix);
        var stream = new GeneratedStream(Enumerable.Repeat(bytes[..40], 1), failAtEnd: true);

        await Should.ThrowAsync<IOException>(() => PrometheusJsonReader.ReadQueryRangeAsync(stream, Ct));
    }

    [Fact]
    public async Task ReadQueryRangeAsync_HugeSeriesCount_StreamsInSmallReads()
    {
        const int seriesCount = 50_000;
        var stream = new GeneratedStream(HugeMatrix(seriesCount));

        var result = await PrometheusJsonReader.ReadQueryRangeAsync(stream, Ct);

        result.Series.Count.ShouldBe(seriesCount);
        result.Series[^1].Labels["pod"].ShouldBe($"pod-{seriesCount - 1}");
        result.Series[^1].Samples.ShouldBe([new Sample(1604685600000, seriesCount - 1), new Sample(1604685660000, 0.5)]);
        stream.BytesServed.ShouldBeGreaterThan(5_000_000);
        // The serializer's buffer stays near its 16 KiB default: the body is never gathered in one piece.
        stream.LargestRead.ShouldBeLessThanOrEqualTo(64 * 1024);
    }

    [Fact]
    public async Task ReadQueryRangeAsync_WithACallback_HandsOutEachSeriesBeforeTheRestOfTheBodyIsRead()
    {
        const int seriesCount = 20_000;
        var stream = new GeneratedStream(HugeMatrix(seriesCount));
        var servedAtEachSeries = new List<long>();

        var warnings = await PrometheusJsonReader.ReadQueryRangeAsync(stream, s => servedAtEachSeries.Add(stream.BytesServed), Ct);

        warnings.ShouldBeEmpty();
        servedAtEachSeries.Count.ShouldBe(seriesCount);
        // The first series is out after one chunk of a multi-megabyte body: nothing waits for the whole answer.
        servedAtEachSeries[0].ShouldBeLessThan(64 * 1024);
        stream.BytesServed.ShouldBeGreaterThan(2_000_000);
    }

    [Fact]
    public async Task ReadQueryRangeAsync_WithACallback_NotAMatrix_HandsOutNothing()
    {
        var handedOut = 0;

        await Should.ThrowAsync<PrometheusResponseFormatException>(() => PrometheusJsonReader.ReadQueryRangeAsync(
            new MemoryStream("""{"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":"b"},"value":[1,"2"]}]}}"""u8.ToArray()),
            _ => handedOut++, Ct));

        handedOut.ShouldBe(0);
    }

    [Fact]
    public async Task ReadQueryRangeAsync_EnvelopeFieldsInAnyOrder_AreRead()
    {
        var result = await ReadAsync("""
            {"warnings":["w"],"data":{"result":[{"values":[[1,"2"]],"metric":{"a":"b"}}],"resultType":"matrix"},"status":"success"}
            """);

        result.Warnings.ShouldBe(["w"]);
        result.Series.Single().Samples.ShouldBe([new Sample(1000, 2)]);
    }

    [Fact]
    public async Task ReadLabelValuesAsync_Values_ReturnsThemInOrder()
    {
        var values = await PrometheusJsonReader.ReadLabelValuesAsync(
            new MemoryStream("""{"status":"success","data":["b","a"]}"""u8.ToArray()), Ct);

        values.ShouldBe(["b", "a"]);
    }

    [Theory]
    [InlineData("""{"status":"success","data":["a",null]}""")]
    [InlineData("""{"status":"success","data":[1]}""")]
    [InlineData("""{"status":"success"}""")]
    public async Task ReadLabelValuesAsync_NotAStringList_ThrowsFormatException(string body)
    {
        await Should.ThrowAsync<PrometheusResponseFormatException>(() =>
            PrometheusJsonReader.ReadLabelValuesAsync(new MemoryStream(Encoding.UTF8.GetBytes(body)), Ct));
    }

    [Fact]
    public async Task ReadLabelValuesAsync_ErrorEnvelope_ThrowsApiException()
    {
        var e = await Should.ThrowAsync<PrometheusApiException>(() => PrometheusJsonReader.ReadLabelValuesAsync(
            new MemoryStream("""{"status":"error","errorType":"internal","error":"boom"}"""u8.ToArray()), Ct));

        e.ErrorType.ShouldBe("internal");
    }

    private static IEnumerable<byte[]> HugeMatrix(int seriesCount)
    {
        yield return """{"status":"success","data":{"resultType":"matrix","result":["""u8.ToArray();
        for (var i = 0; i < seriesCount; i++)
        {
            var comma = i == 0 ? "" : ",";
            yield return Encoding.UTF8.GetBytes(
                $$"""{{comma}}{"metric":{"__name__":"container_cpu_usage_seconds_total","clusterID":"3f0e2c51-9a7d-4b8e-a1c2-5d6e7f809a1b","namespace":"openshift-monitoring","pod":"pod-{{i}}"},"values":[[1604685600,"{{i}}"],[1604685660,"0.5"]]}""");
        }

        yield return "]}}"u8.ToArray();
    }

    /// <summary>A forward-only stream over generated chunks that records how much each read asked for.</summary>
    private sealed class GeneratedStream(IEnumerable<byte[]> chunks, bool failAtEnd = false) : Stream
    {
        private readonly IEnumerator<byte[]> chunks = chunks.GetEnumerator();
        private ReadOnlyMemory<byte> current;

        public long BytesServed { get; private set; }

        public int LargestRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            LargestRead = Math.Max(LargestRead, buffer.Length);
            while (current.IsEmpty)
            {
                if (!chunks.MoveNext())
                {
                    return failAtEnd ? throw new IOException("connection reset") : 0;
                }

                current = chunks.Current;
            }

            var n = Math.Min(buffer.Length, current.Length);
            current.Span[..n].CopyTo(buffer);
            current = current[n..];
            BytesServed += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                chunks.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
