using Microsoft.Extensions.Logging.Testing;
using ThanosBridge.TestSupport.Logging;
using System.Globalization;
using System.Web;
using ThanosBridge.Adapters.S3;
using ThanosBridge.TestSupport.Fakes;

namespace ThanosBridge.Adapters.Tests.S3;

/// <summary>
/// Pre-signing (offline) and the readiness check's reading of S3 answers, against a loopback fake that returns the
/// status codes and error bodies of S3. Uploads and downloads against the real S3 server are in the integration tests.
/// </summary>
public sealed class S3PayloadStoreTests : IAsyncLifetime
{
    private const string Bucket = "koku-bucket";
    private const string Key = "thanos-bridge/a1f0c3d2-5b6e-4c7a-8d9e-0f1a2b3c4d01/2026-11-20/6f1c2d3e.tar.gz";

    private FakeThanosServer server = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => server = await FakeThanosServer.StartAsync(cancellationToken: Ct);

    public async ValueTask DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task GetDownloadUrlAsync_OnpremRegionHttpsEndpoint_PathStyleSigV4ForTheRegion()
    {
        using var sut = Create(new Uri("https://s3.openshift-storage.svc:443"), region: "onprem", expiry: TimeSpan.FromHours(48));

        var url = await sut.GetDownloadUrlAsync(Key, Ct);

        url.Scheme.ShouldBe("https");
        url.Host.ShouldBe("s3.openshift-storage.svc");
        url.AbsolutePath.ShouldBe($"/{Bucket}/{Key}");
        var query = HttpUtility.ParseQueryString(url.Query);
        query["X-Amz-Algorithm"].ShouldBe("AWS4-HMAC-SHA256");
        query["X-Amz-Credential"].ShouldNotBeNull().ShouldEndWith("/onprem/s3/aws4_request");
        int.Parse(query["X-Amz-Expires"]!, CultureInfo.InvariantCulture).ShouldBeInRange(48 * 3600 - 5, 48 * 3600);
        query["X-Amz-Signature"].ShouldNotBeNullOrEmpty();
        server.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task GetDownloadUrlAsync_HttpEndpoint_HttpUrl()
    {
        using var sut = Create(new Uri("http://127.0.0.1:24569"));

        var url = await sut.GetDownloadUrlAsync(Key, Ct);

        url.Scheme.ShouldBe("http");
        url.Authority.ShouldBe("127.0.0.1:24569");
    }

    [Fact]
    public void Create_ExpiryBeyondSevenDays_Refused()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => Create(server.BaseUrl, expiry: TimeSpan.FromDays(8)));
    }

    [Fact]
    public async Task CheckAsync_NoSuchKey_HealthyWithoutABucketLevelCall()
    {
        server.Enqueue(S3Error(404, "NoSuchKey"));
        using var sut = Create(server.BaseUrl);

        await sut.CheckAsync(Ct);

        var request = server.Requests.ShouldHaveSingleItem();
        request.Method.ShouldBe("GET");
        request.Path.ShouldBe($"/{Bucket}/{S3PayloadStore.ReadinessProbeKey}");
        request.Header("Authorization").ShouldNotBeNull().ShouldStartWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/");
    }

    [Fact]
    public async Task CheckAsync_AccessDenied_HealthyBecauseTheSignatureWasAccepted()
    {
        server.Enqueue(S3Error(403, "AccessDenied"));
        var logger = new FakeLogger<S3PayloadStore>();
        using var sut = Create(server.BaseUrl, logger: logger);

        await sut.CheckAsync(Ct);

        logger.Entries().ShouldHaveSingleItem().EventId.ShouldBe(5003);
    }

    [Theory]
    [InlineData(403, "SignatureDoesNotMatch", "the credentials were refused: HTTP 403 SignatureDoesNotMatch")]
    [InlineData(403, "InvalidAccessKeyId", "the credentials were refused: HTTP 403 InvalidAccessKeyId")]
    [InlineData(404, "NoSuchBucket", "HTTP 404 NoSuchBucket")]
    public async Task CheckAsync_RefusingAnswer_ThrowsNamingBucketAndReason(int status, string code, string expected)
    {
        server.Enqueue(S3Error(status, code));
        using var sut = Create(server.BaseUrl);

        var ex = await Should.ThrowAsync<S3PayloadStoreException>(() => sut.CheckAsync(Ct));

        ex.Message.ShouldStartWith(
            $"S3 readiness check of {S3PayloadStore.ReadinessProbeKey} in bucket {Bucket} failed: {expected}");
        ex.Message.ShouldNotContain("SECRETTEST");
        ex.Message.ShouldNotContain("AKIDTEST");
    }

    [Fact]
    public async Task UploadAsync_ServerError_ThrowsNamingBucketAndKeyAfterRetries()
    {
        server.Fallback = S3Error(500, "InternalError");
        using var sut = Create(server.BaseUrl);

        var ex = await Should.ThrowAsync<S3PayloadStoreException>(() => sut.UploadAsync(Key, [1, 2, 3], Ct));

        ex.Message.ShouldStartWith($"S3 upload of {Key} to bucket {Bucket} failed: HTTP 500 InternalError");
        ex.Bucket.ShouldBe(Bucket);
        ex.Key.ShouldBe(Key);
        server.Requests.Count.ShouldBeGreaterThan(1, "the SDK retries 5xx answers");
        server.Requests.ShouldAllBe(r => r.Method == "PUT" && r.Path == $"/{Bucket}/{Key}");
    }

    [Fact]
    public async Task UploadAsync_Accepted_SendsGzipContentTypeAndSignedPayloadHash()
    {
        server.Enqueue(new FakeResponse { Status = 200, Body = "", ContentType = "application/xml" });
        using var sut = Create(server.BaseUrl);

        await sut.UploadAsync(Key, [1, 2, 3], Ct);

        var request = server.Requests.ShouldHaveSingleItem();
        request.Header("Content-Type").ShouldBe("application/gzip");
        // Not aws-chunked: the payload's SHA-256 is signed up front.
        request.Header("x-amz-content-sha256").ShouldBe("039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81");
    }

    internal static FakeResponse S3Error(int status, string code) => new()
    {
        Status = status,
        ContentType = "application/xml",
        Body = $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{code} from the fake</Message><RequestId>1</RequestId></Error>",
    };

    private static S3PayloadStore Create(
        Uri endpoint, string region = "us-east-1", TimeSpan? expiry = null, string? caBundle = null, FakeLogger<S3PayloadStore>? logger = null) =>
        S3PayloadStore.Create(
            new S3Options
            {
                Endpoint = endpoint,
                Region = region,
                AccessKeyId = "AKIDTEST",
                SecretAccessKey = "SECRETTEST",
                Bucket = Bucket,
                CaBundle = caBundle,
                PresignExpiry = expiry ?? TimeSpan.FromHours(48),
            },
            TimeProvider.System,
            logger ?? new FakeLogger<S3PayloadStore>());
}
