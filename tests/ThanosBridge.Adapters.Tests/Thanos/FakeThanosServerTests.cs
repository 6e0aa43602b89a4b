using System.Net;
using ThanosBridge.TestSupport.Fakes;

namespace ThanosBridge.Adapters.Tests.Thanos;

/// <summary>The fake's own behaviour, which the client and daemon fault tests build on.</summary>
public sealed class FakeThanosServerTests : IAsyncLifetime
{
    private readonly HttpClient http = new();
    private FakeThanosServer server = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => server = await FakeThanosServer.StartAsync(cancellationToken: Ct);

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        await server.DisposeAsync();
    }

    [Fact]
    public async Task Requests_ScriptThenFallback_AnswersInOrderAndRecordsEach()
    {
        server.Enqueue(FakeResponse.Text(503, "first"), FakeResponse.LabelValues("a").WithHeader("X-Test", "1"));

        using var first = await http.PostAsync(new Uri(server.BaseUrl, "api/v1/query_range?x=1"),
            new FormUrlEncodedContent([new("query", "up"), new("step", "60")]), Ct);
        using var second = await http.GetAsync(new Uri(server.BaseUrl, "api/v1/label/clusterID/values"), Ct);
        using var third = await http.GetAsync(server.BaseUrl, Ct);

        first.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await first.Content.ReadAsStringAsync(Ct)).ShouldBe("first");
        second.Headers.GetValues("X-Test").ShouldBe(["1"]);
        (await second.Content.ReadAsStringAsync(Ct)).ShouldBe("""{"status":"success","data":["a"]}""");
        third.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        var recorded = server.Requests;
        recorded.Select(r => (r.Method, r.Path)).ShouldBe(
            [("POST", "/api/v1/query_range"), ("GET", "/api/v1/label/clusterID/values"), ("GET", "/")]);
        recorded[0].Form.ShouldBe(new Dictionary<string, string> { ["query"] = "up", ["step"] = "60" }, ignoreOrder: true);
        recorded[0].Query["x"].ShouldBe("1");
        recorded[0].Parameters["query"].ShouldBe("up");
    }

    [Fact]
    public async Task Responder_ReturnsAnAnswer_WinsOverTheScript()
    {
        server.Enqueue(FakeResponse.Text(200, "scripted"));
        server.Responder = r => r.Path.EndsWith("/values", StringComparison.Ordinal) ? FakeResponse.Text(200, "routed") : null;

        (await http.GetStringAsync(new Uri(server.BaseUrl, "api/v1/label/clusterID/values"), Ct)).ShouldBe("routed");
        (await http.GetStringAsync(new Uri(server.BaseUrl, "api/v1/query_range"), Ct)).ShouldBe("scripted");
    }

    [Fact]
    public async Task RejectPost_Post_Gets405WithoutConsumingTheScript()
    {
        server.RejectPost = true;
        server.Enqueue(FakeResponse.Text(200, "for the GET"));

        using var post = await http.PostAsync(server.BaseUrl, new StringContent(""), Ct);
        var get = await http.GetStringAsync(server.BaseUrl, Ct);

        post.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
        get.ShouldBe("for the GET");
    }

    [Fact]
    public async Task CutAfterBytes_Body_EndsWithAnIOExceptionBeforeTheFullLength()
    {
        server.Enqueue(FakeResponse.Text(200, new string('x', 1000)) with { CutAfterBytes = 100 });

        using var response = await http.GetAsync(server.BaseUrl, HttpCompletionOption.ResponseHeadersRead, Ct);
        response.Content.Headers.ContentLength.ShouldBe(1000);
        await using var body = await response.Content.ReadAsStreamAsync(Ct);
        var buffer = new byte[2000];
        var read = 0;

        await Should.ThrowAsync<IOException>(async () =>
        {
            int n;
            while ((n = await body.ReadAsync(buffer.AsMemory(read), Ct)) > 0)
            {
                read += n;
            }
        });
        read.ShouldBe(100);
    }

    [Fact]
    public async Task Headers_RetryAfterAndContentEncoding_SentAsScripted()
    {
        server.Enqueue(FakeResponse.Text(429, "slow down").WithHeader("Retry-After", "10").WithHeader("Content-Encoding", "identity"));

        using var response = await http.GetAsync(server.BaseUrl, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter.ShouldNotBeNull().Delta.ShouldBe(TimeSpan.FromSeconds(10));
        response.Content.Headers.ContentEncoding.ShouldBe(["identity"]);
        response.Content.Headers.ContentType.ShouldNotBeNull().MediaType.ShouldBe("text/plain");
        (await response.Content.ReadAsStringAsync(Ct)).ShouldBe("slow down");
    }

    [Fact]
    public async Task StallAfterBytes_Body_HoldsAfterThoseBytesUntilTheServerGoes()
    {
        server.Enqueue(FakeResponse.Text(200, new string('x', 1000)) with { StallAfterBytes = 100 });

        using var response = await http.GetAsync(server.BaseUrl, HttpCompletionOption.ResponseHeadersRead, Ct);
        response.Content.Headers.ContentLength.ShouldBe(1000);
        await using var body = await response.Content.ReadAsStreamAsync(Ct);
        var buffer = new byte[2000];
        var read = 0;
        while (read < 100)
        {
            var n = await body.ReadAsync(buffer.AsMemory(read), Ct);
            n.ShouldBePositive();
            read += n;
        }

        var more = body.ReadAsync(buffer.AsMemory(read), Ct).AsTask();
        more.IsCompleted.ShouldBeFalse();
        await server.DisposeAsync();

        await Should.ThrowAsync<IOException>(more);
        read.ShouldBe(100);
    }

    [Fact]
    public async Task Hang_ServerDisposed_AnswersBeforeStopping()
    {
        server.Enqueue(FakeResponse.Hang());

        var get = http.GetAsync(server.BaseUrl, Ct);
        await server.WaitForRequestsAsync(1, Ct);
        get.IsCompleted.ShouldBeFalse();
        await server.DisposeAsync();

        using var response = await get;
        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
    }

    [Fact]
    public async Task WaitForRequestsAsync_CountReached_Completes()
    {
        var wait = server.WaitForRequestsAsync(2, Ct);
        server.Fallback = FakeResponse.Text(200, "ok");

        await http.GetStringAsync(server.BaseUrl, Ct);
        wait.IsCompleted.ShouldBeFalse();
        await http.GetStringAsync(server.BaseUrl, Ct);

        await wait.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        server.Requests.Count.ShouldBe(2);
    }
}
