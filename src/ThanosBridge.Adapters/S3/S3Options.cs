namespace ThanosBridge.Adapters.S3;

/// <summary>S3 settings, under koku's variable names so one Secret serves both (koku-ingestion.md §4.6).</summary>
public sealed record S3Options
{
    /// <summary>S3_ENDPOINT, e.g. https://s3.openshift-storage.svc:443 ("https://" is assumed without a scheme).</summary>
    public required Uri Endpoint { get; init; }

    /// <summary>S3_REGION (koku's chart uses "onprem"; signatures are computed for this region).</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>AWS_ACCESS_KEY_ID.</summary>
    public required string AccessKeyId { get; init; }

    /// <summary>AWS_SECRET_ACCESS_KEY. A secret: never logged.</summary>
    public required string SecretAccessKey { get; init; }

    /// <summary>AWS_CA_BUNDLE: PEM file with the CA(s) that sign the endpoint's certificate.</summary>
    public string? CaBundle { get; init; }

    /// <summary>THANOS_BRIDGE_S3_BUCKET.</summary>
    public required string Bucket { get; init; }

    /// <summary>THANOS_BRIDGE_PRESIGN_EXPIRY_HOURS (default 48, at most 168 = SigV4's limit).</summary>
    public TimeSpan PresignExpiry { get; init; } = TimeSpan.FromHours(48);
}
