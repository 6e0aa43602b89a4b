using Amazon.Runtime;
using Amazon.S3;
using ThanosBridge.TestSupport;

namespace ThanosBridge.IntegrationTests.Stack;

/// <summary>A plain AWS SDK client of the stack's S3 server (path-style, SigV4, the stack's key pair), for tests that act on S3 directly.</summary>
internal static class StackS3
{
    public static AmazonS3Client Client()
    {
        var env = StackEnvironment.Current;
        return new AmazonS3Client(
            new BasicAWSCredentials(env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]),
            new AmazonS3Config
            {
                ServiceURL = env.S3Endpoint.ToString(),
                ForcePathStyle = true,
                AuthenticationRegion = env["S3_REGION"],
                RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
                ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            });
    }
}
