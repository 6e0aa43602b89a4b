using System.Globalization;
using System.Net;
using System.Web;
using Microsoft.Extensions.Logging.Abstractions;
using ThanosBridge.Adapters.S3;
using ThanosBridge.TestSupport;

namespace ThanosBridge.IntegrationTests.Adapters;

/// <summary>The payload store against the stack's S3 server (@20minutes/s3rver, which checks SigV4).</summary>
public class S3PayloadStoreIntegrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UploadAsync_ThenPresignedGetWithoutCredentials_ReturnsTheSameBytes()
    {
        using var sut = CreateSut();
        var key = NewKey();
        var body = RandomBytes(70_000);

        await sut.UploadAsync(key, body, Ct);
        var url = await sut.GetDownloadUrlAsync(key, Ct);

        using var anonymous = new HttpClient();
        using var response = await anonymous.GetAsync(url, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsByteArrayAsync(Ct)).ShouldBe(body);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/gzip");
    }

    [Fact]
    public async Task GetDownloadUrlAsync_UploadedKey_PathStyleUrlWithTheKeyUnchangedAndTheConfiguredExpiry()
    {
        var env = StackEnvironment.Current;
        using var sut = CreateSut(expiry: TimeSpan.FromHours(48));
        var key = NewKey();
        await sut.UploadAsync(key, [1, 2, 3], Ct);

        var url = await sut.GetDownloadUrlAsync(key, Ct);

        url.GetLeftPart(UriPartial.Path).ShouldBe($"{env.S3Endpoint.GetLeftPart(UriPartial.Authority)}/{env.S3Bucket}/{key}");
        var query = HttpUtility.ParseQueryString(url.Query);
        int.Parse(query["X-Amz-Expires"]!, CultureInfo.InvariantCulture).ShouldBeInRange(48 * 3600 - 5, 48 * 3600);
        query["X-Amz-Credential"].ShouldNotBeNull().ShouldEndWith($"/{env["S3_REGION"]}/s3/aws4_request");
    }

    [Fact]
    public async Task GetDownloadUrlAsync_TamperedSignature_Refused()
    {
        using var sut = CreateSut();
        var key = NewKey();
        await sut.UploadAsync(key, RandomBytes(100), Ct);
        var url = (await sut.GetDownloadUrlAsync(key, Ct)).AbsoluteUri;

        var signature = url.IndexOf("X-Amz-Signature=", StringComparison.Ordinal) + "X-Amz-Signature=".Length;
        var tampered = url[..signature] + (url[signature] == 'a' ? 'b' : 'a') + url[(signature + 1)..];
        using var anonymous = new HttpClient();
        using var refused = await anonymous.GetAsync(new Uri(tampered), Ct);

        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task UploadAsync_SameKeyTwice_TheSecondContentWins()
    {
        using var sut = CreateSut();
        var key = NewKey();

        await sut.UploadAsync(key, [1, 1, 1], Ct);
        await sut.UploadAsync(key, [2, 2], Ct);

        using var anonymous = new HttpClient();
        (await anonymous.GetByteArrayAsync(await sut.GetDownloadUrlAsync(key, Ct), Ct)).ShouldBe([(byte)2, (byte)2]);
    }

    [Fact]
    public async Task CheckAsync_StackS3_Healthy()
    {
        using var sut = CreateSut();

        await sut.CheckAsync(Ct);
    }

    [Fact]
    public async Task CheckAsync_WrongSecret_FailsWithoutEitherSecretInTheMessage()
    {
        var wrong = "wrong-secret-" + Guid.NewGuid().ToString("N");
        using var sut = CreateSut(secret: wrong);

        var ex = await Should.ThrowAsync<S3PayloadStoreException>(() => sut.CheckAsync(Ct));

        ex.Message.ShouldContain($"in bucket {StackEnvironment.Current.S3Bucket} failed: the credentials were refused: HTTP 403");
        AssertNoSecret(ex, wrong);
    }

    [Fact]
    public async Task UploadAsync_WrongSecret_FailsNamingBucketAndKeyWithoutEitherSecret()
    {
        var wrong = "wrong-secret-" + Guid.NewGuid().ToString("N");
        using var sut = CreateSut(secret: wrong);
        var key = NewKey();

        var ex = await Should.ThrowAsync<S3PayloadStoreException>(() => sut.UploadAsync(key, [1, 2, 3], Ct));

        ex.Message.ShouldStartWith($"S3 upload of {key} to bucket {StackEnvironment.Current.S3Bucket} failed: HTTP 403");
        AssertNoSecret(ex, wrong);
    }

    [Fact]
    public async Task CheckAsync_MissingBucket_Fails()
    {
        var bucket = "missing-" + Guid.NewGuid().ToString("N");
        using var sut = CreateSut(bucket: bucket);

        var ex = await Should.ThrowAsync<S3PayloadStoreException>(() => sut.CheckAsync(Ct));

        ex.Message.ShouldContain($"in bucket {bucket} failed: HTTP 404 NoSuchBucket");
    }

    [Fact]
    public async Task CheckAsync_NothingListening_FailsWithinItsBound()
    {
        using var sut = CreateSut(endpoint: new Uri("http://127.0.0.1:1"));
        var started = TimeProvider.System.GetTimestamp();

        var ex = await Should.ThrowAsync<S3PayloadStoreException>(() => sut.CheckAsync(Ct));

        TimeProvider.System.GetElapsedTime(started).ShouldBeLessThan(S3PayloadStore.CheckTimeout + TimeSpan.FromSeconds(2));
        ex.Message.ShouldStartWith($"S3 readiness check of {S3PayloadStore.ReadinessProbeKey} in bucket ");
    }

    private static void AssertNoSecret(Exception ex, string wrongSecret)
    {
        var text = ex.ToString();
        text.ShouldNotContain(wrongSecret);
        // The stack's real secret equals its access key id: neither may appear.
        text.ShouldNotContain(StackEnvironment.Current["AWS_SECRET_ACCESS_KEY"]);
    }

    private static string NewKey() =>
        $"thanos-bridge/adapters-test/{Guid.NewGuid():N}/2026-11-20/{Guid.NewGuid()}.tar.gz";

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    private static S3PayloadStore CreateSut(string? secret = null, string? bucket = null, Uri? endpoint = null, TimeSpan? expiry = null)
    {
        var env = StackEnvironment.Current;
        return S3PayloadStore.Create(
            new S3Options
            {
                Endpoint = endpoint ?? env.S3Endpoint,
                Region = env["S3_REGION"],
                AccessKeyId = env["AWS_ACCESS_KEY_ID"],
                SecretAccessKey = secret ?? env["AWS_SECRET_ACCESS_KEY"],
                Bucket = bucket ?? env.S3Bucket,
                PresignExpiry = expiry ?? TimeSpan.FromHours(1),
            },
            TimeProvider.System,
            NullLogger<S3PayloadStore>.Instance);
    }
}
