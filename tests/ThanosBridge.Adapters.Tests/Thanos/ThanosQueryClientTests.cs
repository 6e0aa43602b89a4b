using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using ThanosBridge.Adapters.Thanos;
using ThanosBridge.Core.Collection.Prometheus;
using ThanosBridge.Core.Discovery;
using ThanosBridge.TestSupport.Fakes;
using ThanosBridge.TestSupport.Logging;

namespace ThanosBridge.Adapters.Tests.Thanos;

public sealed partial class ThanosQueryClientTests : IAsyncLifetime
{
    // A regression (an unexpected retry waiting on the fake clock) fails the test instead of hanging the run.
    private const int TestTimeoutMs = 30_000;

    private const string ClusterId = "3f0e2c51-9a7d-4b8e-a1c2-5d6e7f809a1b";
    private static readonly ClusterId Cluster = Core.Discovery.ClusterId.Parse(ClusterId);
    private const string QueryName = "pod-usage-cpu-cores";
    private const string Token = "sha256~s3cr3t-t0ken";
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(120);
    private static readonly DateTimeOffset Start = new(2026, 8, 5, 11, 0, 0, TimeSpan.Zero);

    private static readonly QueryRangeRequest Request = new(
        QueryName, Cluster, $"sum by (pod) (rate(container_cpu_usage_seconds_total{{clusterID=\"{ClusterId}\"}}[15m]))",
        Start, Start.AddSeconds(3599), TimeSpan.FromSeconds(60));

    private static readonly Series PodA = new(
        LabelSet.Of(("pod", "pod-a"), ("clusterID", ClusterId)), [new Sample(1785927600000, 0.25), new Sample(1785927660000, 0.5)]);

    private readonly FakeTimeProvider time = new();
    private readonly List<HttpClient> httpClients = [];
    private FakeThanosServer server = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => server = await FakeThanosServer.StartAsync(cancellationToken: Ct);

    public async ValueTask DisposeAsync()
    {
        httpClients.ForEach(c => c.Dispose());
        await server.DisposeAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task QueryRangeAsync_Success_PostsFormWithThanosParametersAndBearerToken()
    {
        server.Enqueue(FakeResponse.Matrix(PodA));

        var result = await CreateClient().QueryRangeAsync(Request, Ct);

        result.Series.ShouldHaveSingleItem().ShouldMatch(PodA);
        var request = server.Requests.ShouldHaveSingleItem();
        request.Method.ShouldBe("POST");
        request.Path.ShouldBe("/api/v1/query_range");
        request.Header("Content-Type").ShouldBe("application/x-www-form-urlencoded");
        request.Header("Authorization").ShouldBe("Bearer " + Token);
        request.Header("Accept").ShouldBe("application/json");
        request.Query.ShouldBeEmpty();
        request.Form.ShouldBe(new Dictionary<string, string>
        {
            ["query"] = Request.Expression,
            ["start"] = "1785927600",
            ["end"] = "1785931199",
            ["step"] = "60",
            ["dedup"] = "true",
            ["partial_response"] = "false",
        }, ignoreOrder: true);
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task QueryRangeAsync_SubSecondTimes_SendsShortestDecimalSeconds()
    {
        server.Enqueue(FakeResponse.Matrix());

        await CreateClient().QueryRangeAsync(
            Request with { Start = Start.AddMilliseconds(500), End = Start.AddMilliseconds(1250), Step = TimeSpan.FromMilliseconds(1500) }, Ct);

        var form = server.Requests.ShouldHaveSingleItem().Form;
        form["start"].ShouldBe("1785927600.5");
        form["end"].ShouldBe("1785927601.25");
        form["step"].ShouldBe("1.5");
    }

    [Theory(Timeout = TestTimeoutMs)]
    [InlineData("thanos")]
    [InlineData("thanos/")]
    public async Task QueryRangeAsync_BaseUrlWithPathPrefix_KeepsThePrefix(string prefix)
    {
        server.Enqueue(FakeResponse.Matrix());

        await CreateClient(o => o.BaseUrl = new Uri(server.BaseUrl, prefix)).QueryRangeAsync(Request, Ct);

        server.Requests.ShouldHaveSingleItem().Path.ShouldBe("/thanos/api/v1/query_range");
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task QueryRangeAsync_BearerTokenFile_SendsItsContentAndFollowsRotation()
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "token");
        File.WriteAllText(file, "token-one\n");
        File.SetLastWriteTimeUtc(file, new DateTime(2026, 8, 5, 10, 0, 0, DateTimeKind.Utc));
        server.Enqueue(FakeResponse.Matrix(), FakeResponse.Matrix(), FakeResponse.Matrix());
        var client = CreateClient(o => (o.BearerToken, o.BearerTokenFile) = (null, file));

        await client.QueryRangeAsync(Request, Ct);
        File.WriteAllText(file, "token-two");
        File.SetLastWriteTimeUtc(file, new DateTime(2026, 8, 5, 11, 0, 0, DateTimeKind.Utc));
        await client.QueryRangeAsync(Request, Ct);
        // Same modification time and size: the cached token is kept, the file is not re-read per request.
        File.WriteAllText(file, "token-xyz");
        File.SetLastWriteTimeUtc(file, new DateTime(2026, 8, 5, 11, 0, 0, DateTimeKind.Utc));
        await client.QueryRangeAsync(Request, Ct);

        server.Requests.Select(r => r.Header("Authorization"))
            .ShouldBe(["Bearer token-one", "Bearer token-two", "Bearer token-two"]);
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task QueryRangeAsync_ProjectedTokenSymlinkSwap_ReadsTheNewToken()
    {
        // The kubelet's atomic writer: token -> ..data/token, ..data -> ..<timestamp>/, swapped on rotation.
        using var dir = new TempDirectory();
        var old = Directory.CreateDirectory(Path.Combine(dir.Path, "..2026_08_05_10")).FullName;
        var fresh = Directory.CreateDirectory(Path.Combine(dir.Path, "..2026_08_05_11")).FullName;
        foreach (var (folder, token, written) in new[] { (old, "token-old", 10), (fresh, "token-new", 11) })
        {
            File.WriteAllText(Path.Combine(folder, "token"), token);
            File.SetLastWriteTimeUtc(Path.Combine(folder, "token"), new DateTime(2026, 8, 5, written, 0, 0, DateTimeKind.Utc));
        }

        var data = Path.Combine(dir.Path, "..data");
        Directory.CreateSymbolicLink(data, old);
        var file = Path.Combine(dir.Path, "token");
        File.CreateSymbolicLink(file, Path.Combine("..data", "token"));
        server.Enqueue(FakeResponse.Matrix(), FakeResponse.Matrix());
        var client = CreateClient(o => (o.BearerToken, o.BearerTokenFile) = (null, file));

        await client.QueryRangeAsync(Request, Ct);
        Directory.Delete(data);
        Directory.CreateSymbolicLink(data, fresh);
        await client.QueryRangeAsync(Request, Ct);

        server.Requests.Select(r => r.Header("Authorization")).ShouldBe(["Bearer token-old", "Bearer token-new"]);
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task QueryRangeAsync_PostAnswered405_FallsBackToGetAndKeepsUsingGet()
    {
        server.RejectPost = true;
        server.Enqueue(FakeResponse.Matrix(PodA), FakeResponse.Matrix(PodA));
        var client = CreateClient();

        (await client.QueryRangeAsync(Request, Ct)).Series.ShouldHaveSingleItem();
        (await client.QueryRangeAsync(Request, Ct)).Series.ShouldHaveSingleItem();

        server.Requests.Select(r => r.Method).ShouldBe(["POST", "GET", "GET"]);
        var get = server.Requests[1];
        get.Path.ShouldBe("/api/v1/query_range");
        get.Header("Authorization").ShouldBe("Bearer " + Token);
        get.Query["query"].ShouldBe(Request.Expression);
        get.Query["start"].ShouldBe("1785927600");
        get.Query["end"].ShouldBe("1785931199");
        get.Query["step"].ShouldBe("60");
        get.Query["dedup"].ShouldBe("true");
        get.Query["partial_response"].ShouldBe("false");
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task QueryRangeAsync_503Then503Then200_SucceedsOnTheThirdAttemptAfterExponentialDelays()
    {
        server.Enqueue(
            FakeResponse.Error(503, "unavailable", "store gateway down"),
            FakeResponse.Error(503, "unavailable", "store gateway down"),
            FakeResponse.Matrix(PodA));

        var call = CreateClient().QueryRangeAsync(Request, Ct);
        await AdvanceThroughRetryDelaysAsync(2);
        var result = await call;

        result.Series.ShouldHaveSingleItem().ShouldMatch(PodA);
        server.Requests.Count.ShouldBe(3);
        RetryDelays().ShouldBe([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)]);
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task QueryRangeAsync_Jitter_SpreadsEachDelayWithinPlusMinusTwentyPercent()
    {
        server.Fallback = FakeResponse.Error(503, "unavailable", "down");
        var jitter = new Queue<double>([0.0, 0.75, 0.5]);

        var call = CreateClient(random: jitter.Dequeue).QueryRangeAsync(Request, Ct);
        await AdvanceThroughRetryDelaysAsync(3);
        await Should.ThrowAsync<ThanosQueryException>(call);

        // Nominal 2, 4, 8 s scaled by 0.8 + 0.4 × r.
        RetryDelays().ShouldBe([TimeSpan.FromSeconds(1.6), TimeSpan.FromSeconds(4.4), TimeSpan.FromSeconds(8)]);
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task QueryRangeAsync_Always503_FailsAfterMaxRetriesPlusOneAttemptsWithServerError()
    {
        server.Fallback = FakeResponse.Error(503, "unavailable", "store gateway down");

        var call = CreateClient().QueryRangeAsync(Request, Ct);
        await AdvanceThroughRetryDelaysAsync(3);
        var e = await Should.ThrowAsync<ThanosQueryException>(call);

        e.Reason.ShouldBe(ThanosFailureReason.ServerError);
        e.Attempts.ShouldBe(4);
        e.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        e.ErrorType.ShouldBe("unavailable");
        e.ErrorText.ShouldBe("store gateway down");
        e.QueryName.ShouldBe(QueryName);
        e.ClusterId.ShouldBe(ClusterId);
        e.Message.ShouldBe($"query {QueryName} for cluster {ClusterId}: HTTP 503 after 4 attempts: store gateway down");
        server.Requests.Count.ShouldBe(4);
        RetryDelays().ShouldBe([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8)]);
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task QueryRangeAsync_429WithRetryAfter_WaitsAsToldThenSucceeds()
    {
        server.Enqueue(FakeResponse.Error(429, "unavailable", "slow down").WithHeader("Retry-After", "10"), FakeResponse.Matrix(PodA));

        var call = CreateClient().QueryRangeAsync(Request, Ct);
        await AdvanceThroughRetryDelaysAsync(1);
        var result = await call;

        result.Series.ShouldHaveSingleItem();
        server.Requests.Count.ShouldBe(2);
        RetryDelays().ShouldBe([TimeSpan.FromSeconds(10)]);
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task QueryRangeAsync_Always429_FailsWithTooManyRequests()
    {
        server.Fallback = FakeResponse.Text(429, "rate limited");

        var call = CreateClient(o => o.MaxRetries = 1).QueryRangeAsync(Request, Ct);
        await AdvanceThroughRetryDelaysAsync(1);
        var e = await Should.ThrowAsync<ThanosQueryException>(call);

        e.Reason.ShouldBe(ThanosFailureReason.TooManyRequests);
        e.Attempts.ShouldBe(2);
        e.ErrorText.ShouldBe("rate limited");
    }

    [Theory(Timeout = TestTimeoutMs)]
    [InlineData(400, "bad_data", ThanosFailureReason.BadData)]
    [InlineData(422, "execution", ThanosFailureReason.ClientError)]
    public async Task QueryRangeAsync_QueryRejected_FailsAfterExactlyOneAttempt(int status, string errorType, ThanosFailureReason reason)
    {
        server.Fallback = FakeResponse.Error(status, errorType, "1:14: parse error: unexpected \"}\"");

        var e = await Should.ThrowAsync<ThanosQueryException>(() => CreateClient().QueryRangeAsync(Request, Ct));

        e.Reason.ShouldBe(reason);
        e.Attempts.ShouldBe(1);
        e.StatusCode.ShouldBe((HttpStatusCode)status);
        e.ErrorType.ShouldBe(errorType);
        e.Message.ShouldBe($"query {QueryName} for cluster {ClusterId}: HTTP {status} after 1 attempt: 1:14: parse error: unexpected \"}}\"");
        server.Requests.Count.ShouldBe(1);
        RetryDelays().ShouldBeEmpty();
    }

    [Theory(Timeout = TestTimeoutMs)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    public async Task QueryRangeAsync_OtherClientErrors_AreNotRetried(int status)
    {
        server.Fallback = FakeResponse.Text(status, "Forbidden");

        var e = await Should.ThrowAsync<ThanosQueryException>(() => CreateClient().QueryRangeAsync(Request, Ct));

        e.Reason.ShouldBe(ThanosFailureReason.ClientError);
        e.Attempts.ShouldBe(1);
        server.Requests.Count.ShouldBe(1);
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task QueryRangeAsync_ServerNeverAnswers_TimesOutAfterMaxRetriesPlusOneAttempts()
    {
        server.Fallback = FakeResponse.Hang();

        var call = CreateClient().QueryRangeAsync(Request, Ct);
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await server.WaitForRequestsAsync(attempt, Ct);
            time.Advance(await time.WaitForTimerAsync(d => d == QueryTimeout, Ct));
            if (attempt < 4)
            {
                time.Advance(await time.WaitForTimerAsync(d => d < QueryTimeout, Ct));
            }
        }

        var e = await Should.ThrowAsync<ThanosQueryException>(call);

        e.Reason.ShouldBe(ThanosFailureReason.Timeout);
        e.Attempts.ShouldBe(4);
        e.StatusCode.ShouldBeNull();
        e.Message.ShouldBe($"query {QueryName} for cluster {ClusterId}: timed out after 4 attempts: no complete response within 120 s");
        server.Requests.Count.ShouldBe(4);
        time.ArmedDueTimes.Count(d => d == QueryTimeout).ShouldBe(4);
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task QueryRangeAsync_BodyStallsMidStream_TimesOutBecauseTheTimeoutCoversTheBody()
    {
        server.Fallback = FakeResponse.Matrix(PodA) with { StallAfterBytes = 60 };

        var call = CreateClient(o => o.MaxRetries = 0).QueryRangeAsync(Request, Ct);
        await server.WaitForRequestsAsync(1, Ct);
        time.Advance(await time.WaitForTimerAsync(d => d == QueryTimeout, Ct));
        var e = await Should.ThrowAsync<ThanosQueryException>(call);

        e.Reason.ShouldBe(ThanosFailureReason.Timeout);
        e.Attempts.ShouldBe(1);
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task QueryRangeAsync_BodyCutMidStream_RetriesAsTransportFailureThenSucceeds()
    {
        server.Enqueue(FakeResponse.Matrix(PodA) with { CutAfterBytes = 60 }, FakeResponse.Matrix(PodA));

        var call = CreateClient().QueryRangeAsync(Request, Ct);
        await AdvanceThroughRetryDelaysAsync(1);
        var result = await call;

        result.Series.ShouldHaveSingleItem().ShouldMatch(PodA);
        server.Requests.Count.ShouldBe(2);
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task QueryRangeAsync_IntoASink_BodyCutAfterSomeSeries_RestartsTheSink_SoEverySeriesArrivesOnce()
    {
        Series[] pods = [.. Enumerable.Range(0, 40).Select(i => PodA with { Labels = LabelSet.Of(("pod", $"pod-{i}"), ("clusterID", ClusterId)) })];
        var whole = FakeResponse.Matrix(pods);
        server.Enqueue(whole with { CutAfterBytes = Encoding.UTF8.GetByteCount(whole.Body!) / 2 }, whole);
        var sink = new RecordingSink();

        var call = CreateClient().QueryRangeAsync(Request, sink, bodyCopy: null, Ct);
        await AdvanceThroughRetryDelaysAsync(1);
        await call;

        sink.Restarts.ShouldBe(2);
        sink.HandedOutBeforeLastRestart.ShouldBeGreaterThan(0, "the cut attempt had handed out series already");
        sink.Series.Select(p => p.Labels["pod"]).ShouldBe(pods.Select(p => p.Labels["pod"]));
    }

    private sealed class RecordingSink : ISeriesSink
    {
        public List<Series> Series { get; } = [];

        public int Restarts { get; private set; }

        public int HandedOutBeforeLastRestart { get; private set; }

        public void Restart()
        {
            Restarts++;
            HandedOutBeforeLastRestart = Series.Count;
            Series.Clear();
        }

        public void Add(Series series) => Series.Add(series);
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task QueryRangeAsync_BodyAlwaysCut_FailsWithTransport()
    {
        server.Fallback = FakeResponse.Matrix(PodA) with { CutAfterBytes = 60 };

        var call = CreateClient(o => o.MaxRetries = 1).QueryRangeAsync(Request, Ct);
        await AdvanceThroughRetryDelaysAsync(1);
        var e = await Should.ThrowAsync<ThanosQueryException>(call);

        e.Reason.ShouldBe(ThanosFailureReason.Transport);
        e.Attempts.ShouldBe(2);
        e.Message.ShouldStartWith($"query {QueryName} for cluster {ClusterId}: transport failure after 2 attempts: ");
        // The body, not the head, failed: the JSON reader saw the stream end early.
        e.InnerException.ShouldBeAssignableTo<IOException>();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task QueryRangeAsync_ConnectionRefused_FailsWithTransportAfterRetries()
    {
        // A bound socket that does not listen holds the port and refuses connections.
        using var closed = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        closed.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var baseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)closed.LocalEndPoint!).Port}/");

        var call = CreateClient(o => (o.BaseUrl, o.MaxRetries) = (baseUrl, 2)).QueryRangeAsync(Request, Ct);
        await AdvanceThroughRetryDelaysAsync(2);
        var e = await Should.ThrowAsync<ThanosQueryException>(call);

        e.Reason.ShouldBe(ThanosFailureReason.Transport);
        e.Attempts.ShouldBe(3);
        e.InnerException.ShouldBeOfType<HttpRequestException>();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task QueryRangeAsync_Warnings_FailByDefaultListingThem()
    {
        server.Enqueue(FakeResponse.Matrix(new QueryResult([PodA], ["store 10.0.0.1 unavailable", "partial data"])));

        var e = await Should.ThrowAsync<ThanosQueryException>(() => CreateClient().QueryRangeAsync(Request, Ct));

        e.Reason.ShouldBe(ThanosFailureReason.Warnings);
        e.Attempts.ShouldBe(1);
        e.ErrorText.ShouldBe("store 10.0.0.1 unavailable; partial data");
        e.Message.ShouldBe(
            $"query {QueryName} for cluster {ClusterId}: response has warnings after 1 attempt: store 10.0.0.1 unavailable; partial data");
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task QueryRangeAsync_WarningsAllowed_ReturnsThemWithTheResult()
    {
        server.Enqueue(FakeResponse.Matrix(new QueryResult([PodA], ["partial data"])));

        var result = await CreateClient(o => o.FailOnWarnings = false).QueryRangeAsync(Request, Ct);

        result.Warnings.ShouldBe(["partial data"]);
        result.Series.ShouldHaveSingleItem();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task QueryRangeAsync_ServerEchoesTheToken_ErrorsNeverContainIt()
    {
        server.Fallback = FakeResponse.Error(401, "unauthorized", $"token \"{Token}\" is expired");

        var e = await Should.ThrowAsync<ThanosQueryException>(() => CreateClient().QueryRangeAsync(Request, Ct));

        e.Message.ShouldContain(QueryName);
        e.Message.ShouldContain(ClusterId);
        e.Message.ShouldNotContain(Token);
        e.ErrorText.ShouldNotContain(Token);
        e.ToString().ShouldNotContain(Token);
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task QueryRangeAsync_HugeHtmlErrorPage_ErrorTextTruncatedTo512Characters()
    {
        server.Fallback = FakeResponse.Text(502, "<html>" + new string('x', 100_000) + "</html>", "text/html");

        var e = await Should.ThrowAsync<ThanosQueryException>(
            () => CreateClient(o => o.MaxRetries = 0).QueryRangeAsync(Request, Ct));

        e.Reason.ShouldBe(ThanosFailureReason.ServerError);
        e.StatusCode.ShouldBe(HttpStatusCode.BadGateway);
        e.ErrorText.Length.ShouldBe(ThanosQueryException.MaxErrorTextLength);
        e.ErrorText.ShouldStartWith("<html>xxx");
        e.ErrorText.ShouldEndWith("...");
    }

    [Theory(Timeout = TestTimeoutMs)]
    [InlineData("<html>login</html>")]
    [InlineData("""{"status":"success","data":{"resultType":"vector","result":[]}}""")]
    public async Task QueryRangeAsync_SuccessStatusWithoutAMatrix_FailsWithBadResponseWithoutRetry(string body)
    {
        server.Fallback = FakeResponse.Text(200, body);

        var e = await Should.ThrowAsync<ThanosQueryException>(() => CreateClient().QueryRangeAsync(Request, Ct));

        e.Reason.ShouldBe(ThanosFailureReason.BadResponse);
        e.Attempts.ShouldBe(1);
        e.InnerException.ShouldBeOfType<PrometheusResponseFormatException>();
        server.Requests.Count.ShouldBe(1);
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task QueryRangeAsync_CallerCancels_ThrowsOperationCanceledWithoutRetrying()
    {
        server.Fallback = FakeResponse.Hang();
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var call = CreateClient().QueryRangeAsync(Request, caller.Token);
        await server.WaitForRequestsAsync(1, Ct);
        await caller.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(call);
        server.Requests.Count.ShouldBe(1);
        RetryDelays().ShouldBeEmpty();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task QueryRangeAsync_CallerCancelsDuringRetryDelay_StopsRetrying()
    {
        server.Fallback = FakeResponse.Error(503, "unavailable", "down");
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var call = CreateClient().QueryRangeAsync(Request, caller.Token);
        await time.WaitForTimerAsync(d => d < QueryTimeout, Ct);
        await caller.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(call);
        server.Requests.Count.ShouldBe(1);
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task QueryRangeAsync_RetriedWithTokenFile_LogsRetriesAndReloadsButNeverTheToken()
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "token");
        File.WriteAllText(file, Token);
        server.Enqueue(FakeResponse.Error(503, "unavailable", $"upstream rejected {Token}"), FakeResponse.Matrix(PodA));
        var logger = new FakeLogger();
        var options = new ThanosClientOptions { BaseUrl = server.BaseUrl, BearerTokenFile = file };
        using var http = ThanosHttpClientFactory.CreateHttpClient(options);
        var client = new ThanosQueryClient(http, options, time, logger, () => 0.5);

        var call = client.QueryRangeAsync(Request, Ct);
        await AdvanceThroughRetryDelaysAsync(1);
        await call;

        var retry = logger.Collector.GetSnapshot().Where(e => e.Id.Id == 2101).ShouldHaveSingleItem();
        retry.Id.Name.ShouldBe("ThanosQueryRetry");
        retry.Level.ShouldBe(LogLevel.Warning);
        retry.Message.ShouldBe($"query {QueryName} for cluster {ClusterId} failed with ServerError on attempt 1; retrying in 00:00:02");
        logger.Collector.GetSnapshot().ShouldContain(e => e.Id.Id == 2104 && e.Message.Contains(file));
        logger.Collector.GetSnapshot().ShouldAllBe(e => !e.Message.Contains(Token) && (e.Exception == null || !e.Exception.ToString().Contains(Token)));
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task LabelValuesAsync_Values_GetsTheLabelEndpointAndReturnsThem()
    {
        server.Enqueue(FakeResponse.LabelValues(ClusterId, "x"));

        var values = await CreateClient().LabelValuesAsync("clusterID", Ct);

        values.ShouldBe([ClusterId, "x"]);
        var request = server.Requests.ShouldHaveSingleItem();
        request.Method.ShouldBe("GET");
        request.Path.ShouldBe("/api/v1/label/clusterID/values");
        request.Header("Authorization").ShouldBe("Bearer " + Token);
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task LabelValuesAsync_503ThenValues_IsRetriedLikeQueries()
    {
        server.Enqueue(FakeResponse.Error(503, "unavailable", "down"), FakeResponse.LabelValues("a"));

        var call = CreateClient().LabelValuesAsync("clusterID", Ct);
        await AdvanceThroughRetryDelaysAsync(1);

        (await call).ShouldBe(["a"]);
        server.Requests.Count.ShouldBe(2);
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task LabelValuesAsync_Always500_MessageNamesTheLabel()
    {
        server.Fallback = FakeResponse.Error(500, "internal", "boom");

        var e = await Should.ThrowAsync<ThanosQueryException>(
            () => CreateClient(o => o.MaxRetries = 0).LabelValuesAsync("clusterID", Ct));

        e.Message.ShouldBe("query label_values(clusterID): HTTP 500 after 1 attempt: boom");
        e.ClusterId.ShouldBeEmpty();
    }

    private ThanosQueryClient CreateClient(Action<ThanosClientOptions>? configure = null, Func<double>? random = null)
    {
        var options = new ThanosClientOptions { BaseUrl = server.BaseUrl, BearerToken = Token };
        configure?.Invoke(options);
        var http = ThanosHttpClientFactory.CreateHttpClient(options);
        httpClients.Add(http);
        return new ThanosQueryClient(http, options, time, NullLogger.Instance, random ?? (() => 0.5));
    }

    /// <summary>Waits for each retry delay to be armed on the fake clock, then jumps over it.</summary>
    private async Task AdvanceThroughRetryDelaysAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            time.Advance(await time.WaitForTimerAsync(d => d < QueryTimeout, Ct));
        }
    }

    private List<TimeSpan> RetryDelays() => [.. time.ArmedDueTimes.Where(d => d < QueryTimeout)];

    private sealed class TempDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("thanos-client-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
