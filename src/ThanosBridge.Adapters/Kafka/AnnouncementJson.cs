using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using ThanosBridge.Core.Delivery;

namespace ThanosBridge.Adapters.Kafka;

/// <summary>
/// The value of an announcement as koku's listener reads it (koku-ingestion.md §1.3), fields in this order:
/// <c>{"request_id","org_id","account","url","b64_identity":"","timestamp"}</c>; <c>account</c> is JSON null when
/// unknown, <c>timestamp</c> RFC 3339 in UTC.
/// </summary>
internal static class AnnouncementJson
{
    /// <summary>Pre-signed URLs are full of '&amp;'; no HTML-safe escaping is needed in a Kafka value.</summary>
    internal static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Serialize(Announcement announcement)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(writer, announcement);
        }

        return buffer.ToArray();
    }

    public static void Write(Utf8JsonWriter writer, Announcement announcement)
    {
        writer.WriteStartObject();
        writer.WriteString("request_id", announcement.RequestId);
        writer.WriteString("org_id", announcement.OrgId);
        if (announcement.Account is null)
        {
            writer.WriteNull("account");
        }
        else
        {
            writer.WriteString("account", announcement.Account);
        }

        writer.WriteString("url", announcement.Url.AbsoluteUri);
        // koku requires the key; it only copies the value into ROS messages.
        writer.WriteString("b64_identity", "");
        writer.WriteString("timestamp", FormatTimestamp(announcement.Timestamp));
        writer.WriteEndObject();
    }

    /// <summary>RFC 3339 in UTC with trailing zero fractions dropped, as Go's RFC3339Nano: 2026-11-21T06:10:00.5Z.</summary>
    public static string FormatTimestamp(DateTimeOffset timestamp) =>
        timestamp.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
