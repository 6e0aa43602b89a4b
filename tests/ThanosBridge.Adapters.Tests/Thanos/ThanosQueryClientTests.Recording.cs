using System.Text;
using ThanosBridge.Adapters.Recording;
using ThanosBridge.Adapters.Thanos;
using ThanosBridge.Core.Collection;
using ThanosBridge.Core.Collection.Catalog;
using ThanosBridge.Core.Collection.Prometheus;
using ThanosBridge.TestSupport.Fakes;

namespace ThanosBridge.Adapters.Tests.Thanos;

/// <summary>
/// <c>once --record</c>: the body Thanos sent is written byte for byte while the same bytes are parsed, only for a query
/// that succeeded, only the attempt that succeeded; and <c>replay</c> reads it back.
/// </summary>
public sealed partial class ThanosQueryClientTests
{
    private static readonly QueryRange Range = new(Start, Start.AddSeconds(3599), TimeSpan.FromSeconds(60));
    private static readonly QueryDefinition Query = new(QueryName, QuerySet.Pod, "q", ["pod"], [], [], null);

    // Valid, but nothing like a re-serialisation: data before status, values before metric, tabs, CRLF, spaces around
    // the colons and commas, an escaped character in a label value, and 100 KB of whitespace after the object. The
    // parser stops at the closing brace, so that tail is unread then: only the copy's draining of the rest records it.
    private static readonly string OddBody =
        "{\r\n\t\"data\" : {\r\n\t\t\"result\" : [ {\r\n\t\t\t\"values\" : [ [ 1785927600 , \"0.25\" ] ,[1785927660,\"0.5\"] ],\r\n" +
        $"\t\t\t\"metric\" : {{ \"clusterID\" : \"{ClusterId}\" , \"pod\" : \"pod-\\u0061\" }}\r\n\t\t}} ] ,\r\n" +
        "\t\t\"resultType\":\"matrix\"\r\n\t},\r\n  \"status\"  :  \"success\"\r\n}" + new string(' ', 100_000) + "\n";

    [Fact(Timeout = TestTimeoutMs)]
    public async Task Record_OddlyFormattedBody_FileIsByteIdenticalToTheBodySent_AndTheSameBytesWereParsed()
    {
        using var dir = new TempDirectory();
        server.Enqueue(new FakeResponse { Body = OddBody });
        var sink = new SeriesList();

        await RecordingExecutor(dir).ExecuteAsync(Cluster, Query, "q", Range, sink, Ct);

        sink.Series.ShouldHaveSingleItem().ShouldMatch(PodA);
        var file = ResponseRecorder.PathFor(ClusterDirectory(dir), QueryName);
        Directory.GetFiles(ClusterDirectory(dir)).ShouldBe(new[] { file }, "the recording and nothing else");
        (await File.ReadAllBytesAsync(file, Ct)).ShouldBe(Encoding.UTF8.GetBytes(OddBody));
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task Record_FirstAttemptCutMidBody_RetrySucceeds_FileHoldsExactlyTheSuccessfulBody()
    {
        using var dir = new TempDirectory();
        Series[] pods = [.. Enumerable.Range(0, 40).Select(i => PodA with { Labels = LabelSet.Of(("pod", $"pod-{i}"), ("clusterID", ClusterId)) })];
        var whole = FakeResponse.Matrix(pods);
        // The retried answer differs in its bytes from the cut one, so a file that kept any of the cut attempt fails.
        var retried = whole with { Body = whole.Body.Replace(",", ", ", StringComparison.Ordinal) };
        server.Enqueue(whole with { CutAfterBytes = Encoding.UTF8.GetByteCount(whole.Body) / 2 }, retried);
        var sink = new SeriesList();

        var call = RecordingExecutor(dir).ExecuteAsync(Cluster, Query, "q", Range, sink, Ct);
        await AdvanceThroughRetryDelaysAsync(1);
        await call;

        server.Requests.Count.ShouldBe(2);
        sink.Series.Select(s => s.Labels["pod"]).ShouldBe(pods.Select(p => p.Labels["pod"]));
        var file = ResponseRecorder.PathFor(ClusterDirectory(dir), QueryName);
        Directory.GetFiles(ClusterDirectory(dir)).ShouldBe(new[] { file }, "the cut attempt's temporary file is gone");
        (await File.ReadAllBytesAsync(file, Ct)).ShouldBe(Encoding.UTF8.GetBytes(retried.Body));
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task Record_QueryFailsForGood_LeavesNoFile_NotEvenAnEarlierRecordingOfIt()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(ClusterDirectory(dir));
        await File.WriteAllTextAsync(ResponseRecorder.PathFor(ClusterDirectory(dir), QueryName), FakeResponse.Matrix(PodA).Body, Ct);
        server.Fallback = FakeResponse.Matrix(PodA) with { CutAfterBytes = 60 };

        var call = RecordingExecutor(dir, o => o.MaxRetries = 1).ExecuteAsync(Cluster, Query, "q", Range, new SeriesList(), Ct);
        await AdvanceThroughRetryDelaysAsync(1);
        var e = await Should.ThrowAsync<ThanosQueryException>(call);

        e.Reason.ShouldBe(ThanosFailureReason.Transport);
        e.Attempts.ShouldBe(2);
        Directory.GetFiles(ClusterDirectory(dir)).ShouldBeEmpty("neither the cut bodies nor the answer of an earlier run may be replayed as this query's");
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task Record_WholeBodyReadButQueryFailsOnItsWarnings_LeavesNoFile()
    {
        using var dir = new TempDirectory();
        server.Enqueue(FakeResponse.Matrix(new QueryResult([PodA], ["partial data"])));

        var e = await Should.ThrowAsync<ThanosQueryException>(
            () => RecordingExecutor(dir).ExecuteAsync(Cluster, Query, "q", Range, new SeriesList(), Ct));

        e.Reason.ShouldBe(ThanosFailureReason.Warnings);
        Directory.GetFiles(ClusterDirectory(dir)).ShouldBeEmpty();
    }

    [Theory(Timeout = TestTimeoutMs)]
    [InlineData(true)]
    [InlineData(false)]
    public async Task QueryRangeAsync_TheBodyCopyFails_FailsWithoutRetryNorCallingItATransportFailure(bool atRestart)
    {
        server.Fallback = FakeResponse.Matrix(PodA);

        var e = await Should.ThrowAsync<ResponseBodyCopyException>(
            () => CreateClient().QueryRangeAsync(Request, new SeriesList(), new FullDisk(atRestart), Ct));

        e.InnerException.ShouldBeOfType<IOException>().Message.ShouldBe("No space left on device");
        server.Requests.Count.ShouldBe(1);
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task Replay_ReadsRawRecordingsAndTheReserialisedFilesOfEarlierVersionsAlike()
    {
        using var dir = new TempDirectory();
        server.Enqueue(new FakeResponse { Body = OddBody });
        await RecordingExecutor(dir).ExecuteAsync(Cluster, Query, "q", Range, new SeriesList(), Ct);
        var earlier = Query with { Name = "recorded-by-an-earlier-version" };
        await using (var file = File.Create(ResponseRecorder.PathFor(ClusterDirectory(dir), earlier.Name)))
        {
            PrometheusJsonWriter.Write(new QueryResult([PodA], []), file);
        }

        var replay = new RecordedQueryExecutor(ClusterDirectory(dir));
        var raw = await replay.ExecuteAsync(Cluster, Query, "q", Range, Ct);
        var reserialised = await replay.ExecuteAsync(Cluster, earlier, "q", Range, Ct);

        raw.Series.ShouldHaveSingleItem().ShouldMatch(PodA);
        reserialised.Series.ShouldHaveSingleItem().ShouldMatch(PodA);
    }

    private ThanosQueryExecutor RecordingExecutor(TempDirectory dir, Action<ThanosClientOptions>? configure = null) =>
        new(CreateClient(configure), dir.Path);

    /// <summary>Where the executor records the test cluster's answers: a directory per cluster.</summary>
    private static string ClusterDirectory(TempDirectory dir) => Path.Combine(dir.Path, ClusterId);

    private sealed class FullDisk(bool atRestart) : IResponseBodyCopy
    {
        public Stream Restart() => atRestart ? throw new IOException("No space left on device") : new FullDiskStream();

        private sealed class FullDiskStream : MemoryStream
        {
            public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
                ValueTask.FromException(new IOException("No space left on device"));
        }
    }
}
