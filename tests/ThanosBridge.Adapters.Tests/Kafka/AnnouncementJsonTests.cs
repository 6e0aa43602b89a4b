using System.Text;
using System.Text.Json;
using ThanosBridge.Adapters.Kafka;
using ThanosBridge.Core.Delivery;

namespace ThanosBridge.Adapters.Tests.Kafka;

public class AnnouncementJsonTests
{
    private static readonly Uri Url = new(
        "https://s3.example:443/koku-bucket/thanos-bridge/a1f0/2026-11-20/x.tar.gz?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AK%2F20261121%2Fonprem%2Fs3%2Faws4_request&X-Amz-Signature=abc");

    [Fact]
    public void Serialize_WithAccount_WritesKokuFieldsInOrder()
    {
        var announcement = new Announcement(
            "6f1c2d3e-0000-4000-8000-000000000001", "1234567", "10001", Url, new DateTimeOffset(2026, 11, 21, 6, 10, 0, TimeSpan.Zero));

        var json = Encoding.UTF8.GetString(AnnouncementJson.Serialize(announcement));

        json.ShouldBe(
            "{\"request_id\":\"6f1c2d3e-0000-4000-8000-000000000001\",\"org_id\":\"1234567\",\"account\":\"10001\"," +
            $"\"url\":\"{Url.AbsoluteUri}\",\"b64_identity\":\"\",\"timestamp\":\"2026-11-21T06:10:00Z\"}}");
    }

    [Fact]
    public void Serialize_NoAccount_WritesJsonNull()
    {
        var announcement = new Announcement("r1", "1234567", null, Url, new DateTimeOffset(2026, 11, 21, 6, 10, 0, TimeSpan.Zero));

        using var doc = JsonDocument.Parse(AnnouncementJson.Serialize(announcement));

        doc.RootElement.GetProperty("account").ValueKind.ShouldBe(JsonValueKind.Null);
        doc.RootElement.EnumerateObject().Select(p => p.Name)
            .ShouldBe(["request_id", "org_id", "account", "url", "b64_identity", "timestamp"]);
    }

    [Fact]
    public void Serialize_PresignedUrl_KeepsItByteForByte()
    {
        var announcement = new Announcement("r1", "1", null, Url, DateTimeOffset.UnixEpoch);

        var json = Encoding.UTF8.GetString(AnnouncementJson.Serialize(announcement));

        // '&' stays literal and the escaped '/' (%2F) of the signed credential stays escaped.
        json.ShouldContain("&X-Amz-Credential=AK%2F20261121%2Fonprem%2Fs3%2Faws4_request&");
        using var doc = JsonDocument.Parse(json);
        doc.RootElement.GetProperty("url").GetString().ShouldBe(Url.AbsoluteUri);
    }

    [Theory]
    [InlineData("2026-11-21T08:10:00+02:00", "2026-11-21T06:10:00Z")]
    [InlineData("2026-11-21T06:10:00.5000000Z", "2026-11-21T06:10:00.5Z")]
    [InlineData("2026-11-21T06:10:00.1234567Z", "2026-11-21T06:10:00.1234567Z")]
    [InlineData("2026-12-31T23:30:00-01:00", "2027-01-01T00:30:00Z")]
    public void FormatTimestamp_AnyOffset_Rfc3339Utc(string input, string expected)
    {
        AnnouncementJson.FormatTimestamp(DateTimeOffset.Parse(input, System.Globalization.CultureInfo.InvariantCulture))
            .ShouldBe(expected);
    }
}
