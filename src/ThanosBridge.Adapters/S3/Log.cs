using Microsoft.Extensions.Logging;

namespace ThanosBridge.Adapters.S3;

/// <summary>Log events of the S3 payload store (EventIds 5000–5099, Delivery stage).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5001, EventName = "S3PayloadUploaded", Level = LogLevel.Debug,
        Message = "uploaded {Key} ({Bytes} bytes) to bucket {Bucket}")]
    public static partial void Uploaded(ILogger logger, string key, int bytes, string bucket);

    [LoggerMessage(EventId = 5002, EventName = "S3DownloadUrlSigned", Level = LogLevel.Debug,
        Message = "pre-signed a GET URL for {Key} in bucket {Bucket}, valid until {ExpiresAt:o} (the URL itself is a credential and is not logged)")]
    public static partial void DownloadUrlSigned(ILogger logger, string key, string bucket, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 5003, EventName = "S3CheckAccessDenied", Level = LogLevel.Debug,
        Message = "S3 readiness check: GET of {Key} in bucket {Bucket} answered 403 AccessDenied; the signature was accepted, so the credentials are valid (they lack the list permission that turns a missing key into 404)")]
    public static partial void CheckAccessDenied(ILogger logger, string key, string bucket);
}
