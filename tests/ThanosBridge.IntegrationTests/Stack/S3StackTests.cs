using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using ThanosBridge.TestSupport;

namespace ThanosBridge.IntegrationTests.Stack;

/// <summary>The stack's S3 server (@20minutes/s3rver, which checks SigV4) stores objects and honours pre-signed URLs.</summary>
public class S3StackTests
{
    [Fact]
    public async Task Object_RoundTrips_AndPresignedGetDownloadsIt_WhileATamperedUrlIsRefused()
    {
        var ct = TestContext.Current.CancellationToken;
        var env = StackEnvironment.Current;
        using var s3 = StackS3.Client();
        var key = $"stack-test/{Guid.NewGuid():N}.tar.gz";
        var body = new byte[70_000];
        Random.Shared.NextBytes(body);

        await s3.PutObjectAsync(new PutObjectRequest { BucketName = env.S3Bucket, Key = key, InputStream = new MemoryStream(body), ContentType = "application/gzip" }, ct);
        using (var get = await s3.GetObjectAsync(env.S3Bucket, key, ct))
        using (var copy = new MemoryStream())
        {
            await get.ResponseStream.CopyToAsync(copy, ct);
            copy.ToArray().ShouldBe(body);
        }

        var url = await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = env.S3Bucket,
            Key = key,
            Verb = HttpVerb.GET,
            Protocol = Protocol.HTTP,
            Expires = TimeProvider.System.GetUtcNow().UtcDateTime.AddHours(1),
        });
        using var anonymous = new HttpClient();
        (await anonymous.GetByteArrayAsync(new Uri(url), ct)).ShouldBe(body);

        var signature = url.IndexOf("X-Amz-Signature=", StringComparison.Ordinal) + "X-Amz-Signature=".Length;
        var tampered = url[..signature] + (url[signature] == 'a' ? 'b' : 'a') + url[(signature + 1)..];
        using var refused = await anonymous.GetAsync(new Uri(tampered), ct);
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
