using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using ThanosBridge.Adapters.Thanos;
using ThanosBridge.Core.Collection.Prometheus;
using ThanosBridge.Core.Discovery;
using ThanosBridge.TestSupport.Fakes;

namespace ThanosBridge.Adapters.Tests.Thanos;

/// <summary>HTTPS against the loopback WireMock fake, whose certificate is signed by a CA made in the test.</summary>
public sealed class ThanosClientTlsTests : IAsyncLifetime
{
    // A regression (an unexpected retry waiting on the fake clock) fails the test instead of hanging the run.
    private const int TestTimeoutMs = 30_000;

    private static readonly QueryRangeRequest Request = new(
        "node-capacity-cpu-cores", ClusterId.Parse("3f0e"), "kube_node_info{clusterID=\"3f0e\"}",
        new DateTimeOffset(2026, 8, 5, 11, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 8, 5, 11, 59, 59, TimeSpan.Zero),
        TimeSpan.FromMinutes(1));

    private readonly TestCertificateAuthority ca = TestCertificateAuthority.Create();
    private readonly string directory = Directory.CreateTempSubdirectory("thanos-tls-").FullName;
    private X509Certificate2 serverCertificate = null!;
    private FakeThanosServer server = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        serverCertificate = ca.IssueLoopbackServerCertificate();
        server = await FakeThanosServer.StartAsync(serverCertificate, Ct);
        server.Fallback = FakeResponse.Matrix(new Series(LabelSet.Of(("clusterID", "3f0e")), [new Sample(1, 1)]));
    }

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync();
        serverCertificate.Dispose();
        ca.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public void Server_UsesHttps()
    {
        server.BaseUrl.Scheme.ShouldBe("https");
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task QueryRangeAsync_CaFileOfTheSigningCa_TrustsTheServer()
    {
        var caFile = Path.Combine(directory, "service-ca.crt");
        ca.WritePem(caFile);

        var result = await QueryAsync(o => o.CaFile = caFile);

        result.Series.ShouldHaveSingleItem().Labels["clusterID"].ShouldBe("3f0e");
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task QueryRangeAsync_NoCaFile_RejectsTheServerWithoutRetrying()
    {
        var e = await Should.ThrowAsync<ThanosQueryException>(() => QueryAsync(_ => { }));

        e.Reason.ShouldBe(ThanosFailureReason.Transport);
        e.Attempts.ShouldBe(1);
        e.InnerException.ShouldBeOfType<HttpRequestException>().InnerException.ShouldBeOfType<AuthenticationException>();
        server.Requests.ShouldBeEmpty();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task QueryRangeAsync_CaFileOfAnotherCa_RejectsTheServer()
    {
        using var other = TestCertificateAuthority.Create("some other CA");
        var caFile = Path.Combine(directory, "other-ca.crt");
        other.WritePem(caFile);

        var e = await Should.ThrowAsync<ThanosQueryException>(() => QueryAsync(o => o.CaFile = caFile));

        e.Reason.ShouldBe(ThanosFailureReason.Transport);
        server.Requests.ShouldBeEmpty();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task QueryRangeAsync_InsecureSkipVerify_AcceptsTheServer()
    {
        var result = await QueryAsync(o => o.InsecureSkipVerify = true);

        result.Series.ShouldHaveSingleItem();
        server.Requests.ShouldHaveSingleItem();
    }

    [Fact]
    public void CreateHandler_CaFileWithoutCertificates_Throws()
    {
        var caFile = Path.Combine(directory, "empty.crt");
        File.WriteAllText(caFile, "not a certificate\n");

        Should.Throw<InvalidOperationException>(() => ThanosHttpClientFactory.CreateHandler(
            new ThanosClientOptions { BaseUrl = server.BaseUrl, CaFile = caFile })).Message.ShouldContain(caFile);
    }

    private async Task<QueryResult> QueryAsync(Action<ThanosClientOptions> configure)
    {
        var options = new ThanosClientOptions { BaseUrl = server.BaseUrl };
        configure(options);
        using var http = ThanosHttpClientFactory.CreateHttpClient(options);
        // The real clock is fine: no case here waits for a retry or a timeout.
        var client = new ThanosQueryClient(http, options, TimeProvider.System, NullLogger<ThanosQueryClient>.Instance);
        return await client.QueryRangeAsync(Request, Ct);
    }
}
