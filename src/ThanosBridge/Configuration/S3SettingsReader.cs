using System.Text.RegularExpressions;
using ThanosBridge.Adapters.S3;
using V = ThanosBridge.Configuration.BridgeVariables;

namespace ThanosBridge.Configuration;

/// <summary>Reads S3_ENDPOINT, S3_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_CA_BUNDLE and THANOS_BRIDGE_S3_BUCKET.</summary>
internal static partial class S3SettingsReader
{
    public static S3Options? Read(VariableReader reader, TimeSpan presignExpiry)
    {
        var endpoint = reader.HttpUrl(V.S3Endpoint, assumeHttps: true);
        var region = reader.Text(V.S3Region, "us-east-1");
        if (!Region().IsMatch(region))
        {
            reader.Fail(V.S3Region, $"{VariableReader.Quote(region)} is not a region name (A-Z, a-z, 0-9, '-' and '_')");
        }

        var accessKey = reader.Text(V.AwsAccessKeyId);
        var secretKey = reader.Text(V.AwsSecretAccessKey);
        var bucket = reader.Text(V.S3Bucket);
        if (bucket is not null && !BucketName().IsMatch(bucket))
        {
            reader.Fail(V.S3Bucket, $"{VariableReader.Quote(bucket)} is not an S3 bucket name (3-63 characters: lowercase letters, digits, '.' and '-', starting and ending with a letter or digit)");
        }

        if (!reader.IsSet(V.S3Endpoint))
        {
            // AWS_* and S3_REGION are standard variables that machines often set globally; only the bridge's own
            // bucket variable says that S3 delivery was meant.
            _ = reader.Text(V.AwsCaBundle); // listed by check-config, not used without S3
            var others = reader.SetAmong(V.S3Bucket);
            if (others.Count > 0)
            {
                reader.Fail(V.S3Endpoint,
                    $"not set, but {VariableReader.Listing(others)}; set S3_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and THANOS_BRIDGE_S3_BUCKET, or none");
            }

            return null;
        }

        var caBundle = reader.ExistingFile(V.AwsCaBundle);

        reader.RequireWith(V.S3Endpoint, V.AwsAccessKeyId, V.AwsSecretAccessKey, V.S3Bucket);
        return endpoint is null || accessKey is null || secretKey is null || bucket is null
            ? null
            : new S3Options
            {
                Endpoint = endpoint,
                Region = region,
                AccessKeyId = accessKey,
                SecretAccessKey = secretKey,
                CaBundle = caBundle,
                Bucket = bucket,
                PresignExpiry = presignExpiry,
            };
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex Region();

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketName();
}
