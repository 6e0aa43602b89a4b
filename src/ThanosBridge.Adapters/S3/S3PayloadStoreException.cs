namespace ThanosBridge.Adapters.S3;

/// <summary>
/// An S3 call that failed. The message names the operation, the bucket and the key, e.g.
/// <c>S3 upload of thanos-bridge/a1f0…/2026-11-20/….tar.gz to bucket koku-bucket failed: HTTP 403 SignatureDoesNotMatch: …</c>;
/// it never holds a pre-signed URL, the access key id or the secret key.
/// </summary>
#pragma warning disable CA1032 // The identifying fields are required; the parameterless constructors would drop them.
public sealed class S3PayloadStoreException : Exception
#pragma warning restore CA1032
{
    public S3PayloadStoreException(string operation, string bucket, string key, string reason, Exception? innerException = null)
        : base($"S3 {operation} of {key} {(operation == "upload" ? "to" : "in")} bucket {bucket} failed: {reason}", innerException)
    {
        Operation = operation;
        Bucket = bucket;
        Key = key;
    }

    /// <summary><c>upload</c>, <c>pre-signing</c> or <c>readiness check</c>.</summary>
    public string Operation { get; }

    public string Bucket { get; }

    public string Key { get; }
}
