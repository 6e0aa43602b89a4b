using ThanosBridge.Core.Discovery;

namespace ThanosBridge.Core.Delivery;

/// <summary>Stores payloads and hands out URLs that koku's listener can GET without credentials.</summary>
public interface IPayloadStore
{
    /// <summary>Stores <paramref name="content"/> under <paramref name="key"/>, overwriting (a retry re-uploads the same bytes).</summary>
    Task UploadAsync(string key, byte[] content, CancellationToken cancellationToken);

    /// <summary>A URL to download the object; pre-signed for S3. Never log it: it is a credential.</summary>
    Task<Uri> GetDownloadUrlAsync(string key, CancellationToken cancellationToken);
}

/// <summary>The value koku's listener reads from <c>platform.upload.announce</c> (koku-ingestion.md §1.3).</summary>
public sealed record Announcement(string RequestId, string OrgId, string? Account, Uri Url, DateTimeOffset Timestamp);

/// <summary>Announces a stored payload: Kafka (key = cluster id, header service=hccm), or a file in the output directory.</summary>
public interface IAnnouncer
{
    /// <summary>Returns only after the broker acknowledged the message (acks from all replicas).</summary>
    Task AnnounceAsync(ClusterId clusterId, Announcement announcement, CancellationToken cancellationToken);
}
