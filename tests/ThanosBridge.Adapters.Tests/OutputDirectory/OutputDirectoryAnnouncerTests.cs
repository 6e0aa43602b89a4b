using Microsoft.Extensions.Logging.Testing;
using ThanosBridge.Core.Discovery;
using ThanosBridge.TestSupport.Logging;
using System.Text.Json;
using ThanosBridge.Adapters.OutputDirectory;
using ThanosBridge.Core.Delivery;

namespace ThanosBridge.Adapters.Tests.OutputDirectory;

public sealed class OutputDirectoryAnnouncerTests : IDisposable
{
    private static readonly ClusterId Cluster = ClusterId.Parse("a1f0c3d2-5b6e-4c7a-8d9e-0f1a2b3c4d01");

    private readonly string directory = Directory.CreateTempSubdirectory("bridge-out-").FullName;
    private readonly FakeLogger<OutputDirectoryAnnouncer> logger = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task AnnounceAsync_Announcement_WritesTheKafkaRecordAsJson()
    {
        var url = new Uri(Path.Combine(directory, "thanos-bridge", Cluster.Value, "2026-11-20", "p.tar.gz"));
        var announcement = new Announcement(
            "6f1c2d3e-0000-4000-8000-000000000001", "1234567", "10001", url, new DateTimeOffset(2026, 11, 21, 6, 10, 0, TimeSpan.Zero));

        await CreateSut().AnnounceAsync(Cluster, announcement, Ct);

        var path = Path.Combine(directory, "announcements", "6f1c2d3e-0000-4000-8000-000000000001.json");
        using var doc = JsonDocument.Parse(await File.ReadAllBytesAsync(path, Ct));
        var root = doc.RootElement;
        root.EnumerateObject().Select(p => p.Name).ShouldBe(["topic", "key", "headers", "value"]);
        root.GetProperty("topic").GetString().ShouldBe("platform.upload.announce");
        root.GetProperty("key").GetString().ShouldBe(Cluster.Value);
        var headers = root.GetProperty("headers");
        headers.EnumerateObject().Select(p => (p.Name, p.Value.GetString())).ShouldBe([("service", "hccm")]);
        var value = root.GetProperty("value");
        value.EnumerateObject().Select(p => p.Name).ShouldBe(["request_id", "org_id", "account", "url", "b64_identity", "timestamp"]);
        value.GetProperty("request_id").GetString().ShouldBe("6f1c2d3e-0000-4000-8000-000000000001");
        value.GetProperty("org_id").GetString().ShouldBe("1234567");
        value.GetProperty("account").GetString().ShouldBe("10001");
        value.GetProperty("url").GetString().ShouldBe(url.AbsoluteUri);
        value.GetProperty("url").GetString().ShouldStartWith("file:///");
        value.GetProperty("b64_identity").GetString().ShouldBe("");
        value.GetProperty("timestamp").GetString().ShouldBe("2026-11-21T06:10:00Z");
        logger.Entries().ShouldHaveSingleItem().EventId.ShouldBe(5202);
    }

    [Fact]
    public async Task AnnounceAsync_SameRequestIdTwice_OverwritesWithoutTemporaryFiles()
    {
        var sut = CreateSut();
        var first = new Announcement("r-1", "1234567", null, new Uri("file:///tmp/a.tar.gz"), DateTimeOffset.UnixEpoch);

        await sut.AnnounceAsync(Cluster, first, Ct);
        await sut.AnnounceAsync(Cluster, first with { OrgId = "7654321" }, Ct);

        var file = Path.Combine(directory, "announcements", "r-1.json");
        Directory.GetFiles(directory, "*", SearchOption.AllDirectories).ShouldBe([file]);
        using var doc = JsonDocument.Parse(await File.ReadAllBytesAsync(file, Ct));
        doc.RootElement.GetProperty("value").GetProperty("org_id").GetString().ShouldBe("7654321");
        doc.RootElement.GetProperty("value").GetProperty("account").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Theory]
    [InlineData("../r1")]
    [InlineData("r/1")]
    [InlineData("r 1")]
    public async Task AnnounceAsync_RequestIdNotAFileName_Refused(string requestId)
    {
        var announcement = new Announcement(requestId, "1", null, new Uri("file:///tmp/a.tar.gz"), DateTimeOffset.UnixEpoch);

        await Should.ThrowAsync<ArgumentException>(() => CreateSut().AnnounceAsync(Cluster, announcement, Ct));

        Directory.GetFileSystemEntries(directory).ShouldBeEmpty();
    }

    private OutputDirectoryAnnouncer CreateSut() => new(directory, logger);
}
