using System.Text.Json;
using Microsoft.Extensions.Logging;
using ThanosBridge.Adapters.Kafka;
using ThanosBridge.Core.Delivery;
using ThanosBridge.Core.Discovery;

namespace ThanosBridge.Adapters.OutputDirectory;

/// <summary>
/// Writes each announcement to <c>&lt;dir&gt;/announcements/&lt;request_id&gt;.json</c> when no Kafka is configured, as the
/// Kafka record would be: <c>{"topic","key","headers":{"service":"hccm"},"value":{…}}</c>, the value being the same
/// JSON object that <see cref="KafkaAnnouncer"/> sends. Written atomically; a repeated request id overwrites.
/// </summary>
/// <param name="directory">THANOS_BRIDGE_OUTPUT_DIR; created when missing.</param>
/// <param name="logger">Receives EventId 5202.</param>
public sealed class OutputDirectoryAnnouncer(string directory, ILogger<OutputDirectoryAnnouncer> logger) : IAnnouncer
{
    private static readonly JsonWriterOptions WriterOptions = AnnouncementJson.WriterOptions with { Indented = true };

    private readonly string root = Path.GetFullPath(directory);

    /// <exception cref="ArgumentException">The request id is not usable as a file name.</exception>
    /// <exception cref="IOException">The file could not be written.</exception>
    public async Task AnnounceAsync(ClusterId clusterId, Announcement announcement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clusterId);
        ArgumentNullException.ThrowIfNull(announcement);
        var path = OutputPaths.ForAnnouncement(root, announcement.RequestId);

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("topic", KafkaOptions.AnnounceTopic);
            writer.WriteString("key", clusterId.Value);
            writer.WriteStartObject("headers");
            writer.WriteString("service", "hccm");
            writer.WriteEndObject();
            writer.WritePropertyName("value");
            AnnouncementJson.Write(writer, announcement);
            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        await AtomicFile.WriteAllBytesAsync(path, buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken);
        Log.AnnouncementWritten(logger, announcement.RequestId, clusterId.Value, announcement.OrgId, path);
    }
}
