using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using ThanosBridge.Adapters.Kafka;
using ThanosBridge.Core.Delivery;
using ThanosBridge.Core.Discovery;
using ThanosBridge.TestSupport;

namespace ThanosBridge.IntegrationTests.Adapters;

/// <summary>The announcer against the stack's Kafka-protocol broker (librdkafka's mock cluster).</summary>
public class KafkaAnnouncerIntegrationTests
{
    // Outside the bound on purpose: a slow CI machine must not flake, a hang must still fail.
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(3);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnnounceAsync_ThenConsume_KeySingleServiceHeaderAndExactJson()
    {
        var cluster = "adapters-test-" + Guid.NewGuid().ToString("N");
        var withAccount = NewAnnouncement("1234567", "10001");
        var withoutAccount = NewAnnouncement("7654321", null);
        using (var sut = CreateSut())
        {
            await sut.AnnounceAsync(ClusterId.Parse(cluster), withAccount, Ct);
            await sut.AnnounceAsync(ClusterId.Parse(cluster), withoutAccount, Ct);
        }

        var received = ConsumeFor(cluster, 2);

        foreach (var (message, expected) in received.Zip([withAccount, withoutAccount]))
        {
            message.Key.ShouldBe(cluster);
            var header = message.Headers.ShouldHaveSingleItem();
            header.Key.ShouldBe("service");
            Encoding.ASCII.GetString(header.GetValueBytes()).ShouldBe("hccm");

            var json = Encoding.UTF8.GetString(message.Value);
            var account = expected.Account is null ? "null" : $"\"{expected.Account}\"";
            json.ShouldBe(
                $"{{\"request_id\":\"{expected.RequestId}\",\"org_id\":\"{expected.OrgId}\",\"account\":{account}," +
                $"\"url\":\"{expected.Url.AbsoluteUri}\",\"b64_identity\":\"\",\"timestamp\":\"2026-11-21T06:10:00.25Z\"}}");
            using var doc = JsonDocument.Parse(message.Value);
            var root = doc.RootElement;
            root.EnumerateObject().Select(p => p.Name).ShouldBe(["request_id", "org_id", "account", "url", "b64_identity", "timestamp"]);
            root.GetProperty("request_id").GetString().ShouldBe(expected.RequestId);
            root.GetProperty("org_id").GetString().ShouldBe(expected.OrgId);
            root.GetProperty("url").GetString().ShouldBe(expected.Url.AbsoluteUri);
            root.GetProperty("b64_identity").GetString().ShouldBe("");
            root.GetProperty("timestamp").GetDateTimeOffset().ShouldBe(expected.Timestamp);
        }
    }

    [Fact]
    public async Task CheckAsync_StackBroker_Healthy()
    {
        using var sut = CreateSut();

        await sut.CheckAsync(Ct);
    }

    [Fact]
    public async Task CheckAsync_ClosedPort_FailsWithinItsBound()
    {
        using var sut = CreateSut("127.0.0.1:1", TimeSpan.FromSeconds(2));
        var started = TimeProvider.System.GetTimestamp();

        var ex = await Should.ThrowAsync<AnnouncementException>(() => sut.CheckAsync(Ct));

        TimeProvider.System.GetElapsedTime(started).ShouldBeLessThan(sut.CheckTimeout + Slack);
        sut.CheckTimeout.ShouldBe(TimeSpan.FromSeconds(2));
        ex.Message.ShouldStartWith("Kafka readiness check of topic platform.upload.announce at 127.0.0.1:1 failed: no metadata from the brokers within 2 s");
    }

    [Fact]
    public async Task AnnounceAsync_DeadBroker_FailsWithinTheDeliveryTimeoutWithoutTheUrl()
    {
        var deliveryTimeout = TimeSpan.FromSeconds(2);
        using var sut = CreateSut("127.0.0.1:1", deliveryTimeout);
        var announcement = NewAnnouncement("1234567", "10001");
        var started = TimeProvider.System.GetTimestamp();

        var ex = await Should.ThrowAsync<AnnouncementException>(() => sut.AnnounceAsync(ClusterId.Parse("alpha"), announcement, Ct));

        TimeProvider.System.GetElapsedTime(started).ShouldBeLessThan(deliveryTimeout + Slack);
        ex.Message.ShouldStartWith(
            $"announcement {announcement.RequestId} for cluster alpha on topic platform.upload.announce was not persisted: ");
        ex.Topic.ShouldBe("platform.upload.announce");
        ex.ClusterId.ShouldBe("alpha");
        ex.ToString().ShouldNotContain("X-Amz-Signature");
    }

    private static Announcement NewAnnouncement(string orgId, string? account) => new(
        Guid.NewGuid().ToString(),
        orgId,
        account,
        new Uri($"http://127.0.0.1:24569/thanos-bridge/x/{Guid.NewGuid():N}.tar.gz?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=S3RVER%2F20261121%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=secret-marker"),
        new DateTimeOffset(2026, 11, 21, 7, 10, 0, 250, TimeSpan.FromHours(1)));

    private static KafkaAnnouncer CreateSut(string? bootstrap = null, TimeSpan? deliveryTimeout = null) =>
        new(
            new KafkaOptions
            {
                BootstrapServers = bootstrap ?? StackEnvironment.Current.KafkaBootstrapServers,
                DeliveryTimeout = deliveryTimeout ?? TimeSpan.FromSeconds(10),
            },
            NullLogger<KafkaAnnouncer>.Instance);

    /// <summary>Reads the topic from the start with a fresh group and returns the messages keyed <paramref name="cluster"/>.</summary>
    private static List<Message<string, byte[]>> ConsumeFor(string cluster, int count)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = StackEnvironment.Current.KafkaBootstrapServers,
            GroupId = "adapters-test-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).SetLogHandler((_, _) => { }).Build();
        consumer.Subscribe(KafkaOptions.AnnounceTopic);
        var found = new List<Message<string, byte[]>>();
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(30);
        while (found.Count < count && TimeProvider.System.GetUtcNow() < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromSeconds(1));
            if (result?.Message is { } message && message.Key == cluster)
            {
                found.Add(message);
            }
        }

        consumer.Close();
        found.Count.ShouldBe(count, $"{count} messages keyed {cluster} expected within 30 s");
        return found;
    }
}
