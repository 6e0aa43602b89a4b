using ThanosBridge.Adapters.Thanos;
using ThanosBridge.Health;
using ThanosBridge.TestSupport.Fakes;

namespace ThanosBridge.Tests.Health;

public sealed class ThanosHealthProbeTests : IAsyncDisposable
{
    private FakeThanosServer? server;

    private readonly List<HttpClient> clients = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A probe on its own client, as the host shares one with the queries; the test disposes the client.</summary>
    private ThanosHealthProbe Probe(ThanosClientOptions options)
    {
        var http = ThanosHttpClientFactory.CreateHttpClient(options);
        clients.Add(http);
        return new ThanosHealthProbe(options, http);
    }

    public async ValueTask DisposeAsync()
    {
        clients.ForEach(c => c.Dispose());
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task CheckAsync_BuildInfoAnswers200_PassesAndSendsTheBearerToken()
    {
        server = await FakeThanosServer.StartAsync(cancellationToken: Ct);
        server.Enqueue(FakeResponse.Text(200, "{\"status\":\"success\"}"));
        var sut = Probe(new ThanosClientOptions { BaseUrl = new Uri(server.BaseUrl, "thanos"), BearerToken = "tok" });

        await sut.CheckAsync(Ct);

        var request = server.Requests.ShouldHaveSingleItem();
        request.Method.ShouldBe("GET");
        request.Path.ShouldBe("/thanos/api/v1/status/buildinfo");
        request.Header("Authorization").ShouldBe("Bearer tok");
    }

    [Fact]
    public async Task CheckAsync_BuildInfoUnknown_FallsBackToReady()
    {
        server = await FakeThanosServer.StartAsync(cancellationToken: Ct);
        server.Enqueue(FakeResponse.Text(404, "404 page not found"), FakeResponse.Text(200, "ready"));
        var sut = Probe(new ThanosClientOptions { BaseUrl = server.BaseUrl });

        await sut.CheckAsync(Ct);

        server.Requests.Select(r => r.Path).ShouldBe(["/api/v1/status/buildinfo", "/-/ready"]);
        server.Requests[0].Header("Authorization").ShouldBeNull();
    }

    [Fact]
    public async Task CheckAsync_Answer503_ThrowsNamingStatusAndPathOnly()
    {
        server = await FakeThanosServer.StartAsync(cancellationToken: Ct);
        server.Enqueue(FakeResponse.Text(503, "starting"));
        var sut = Probe(new ThanosClientOptions { BaseUrl = server.BaseUrl, BearerToken = "tok" });

        var e = await Should.ThrowAsync<HttpRequestException>(() => sut.CheckAsync(Ct));

        e.Message.ShouldBe("Thanos answered HTTP 503 ServiceUnavailable to GET api/v1/status/buildinfo");
    }

    [Fact]
    public async Task CheckAsync_TokenFile_ReadsItAtEachCheckAndRedactsIt()
    {
        server = await FakeThanosServer.StartAsync(cancellationToken: Ct);
        server.Enqueue(FakeResponse.Text(200, "{}"), FakeResponse.Text(200, "{}"));
        var tokenFile = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(tokenFile, "first\n", Ct);
            var sut = Probe(new ThanosClientOptions { BaseUrl = server.BaseUrl, BearerTokenFile = tokenFile });

            await sut.CheckAsync(Ct);
            await File.WriteAllTextAsync(tokenFile, "second", Ct);
            await sut.CheckAsync(Ct);

            server.Requests.Select(r => r.Header("Authorization")).ShouldBe(["Bearer first", "Bearer second"]);
            sut.Secrets.ShouldContain("second");
        }
        finally
        {
            File.Delete(tokenFile);
        }
    }

    [Fact]
    public async Task CheckAsync_NothingListening_ThrowsHttpRequestException()
    {
        var sut = Probe(new ThanosClientOptions { BaseUrl = new Uri("http://127.0.0.1:1/") });

        await Should.ThrowAsync<HttpRequestException>(() => sut.CheckAsync(Ct));
    }

    [Fact]
    public void ToProbe_Always_IsNamedThanos()
    {
        var sut = Probe(new ThanosClientOptions { BaseUrl = new Uri("http://thanos:9090") });

        sut.ToProbe().Name.ShouldBe("thanos");
    }
}
