using System.Text;
using Confluent.Kafka;
using ThanosBridge.Adapters.Kafka;
using ThanosBridge.TestSupport;

namespace ThanosBridge.IntegrationTests.Stack;

/// <summary>The stack's Kafka-protocol broker (librdkafka's mock cluster) carries keyed messages with headers.</summary>
public class KafkaStackTests
{
    [Fact]
    public async Task Message_WithServiceHeaderAndKey_RoundTrips()
    {
        var ct = TestContext.Current.CancellationToken;
        BundledLibrdkafka.EnsureLoaded();
        var bootstrap = StackEnvironment.Current.KafkaBootstrapServers;
        var topic = "stack-test-" + Guid.NewGuid().ToString("N");
        var value = $"{{\"request_id\":\"{Guid.NewGuid()}\"}}";

        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = bootstrap,
            EnableIdempotence = true,
            Acks = Acks.All,
            MessageTimeoutMs = 10_000,
        }).Build())
        {
            var delivered = await producer.ProduceAsync(topic, new Message<string, string>
            {
                Key = "cluster-a",
                Value = value,
                Headers = new Headers { { "service", "hccm"u8.ToArray() } },
            }, ct);
            delivered.Status.ShouldBe(PersistenceStatus.Persisted);
        }

        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "stack-test-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe(topic);
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(30);
        ConsumeResult<string, string>? received = null;
        while (received is null && TimeProvider.System.GetUtcNow() < deadline)
        {
            received = consumer.Consume(TimeSpan.FromSeconds(1));
        }

        received.ShouldNotBeNull("no message arrived within 30 s");
        received.Message.Key.ShouldBe("cluster-a");
        received.Message.Value.ShouldBe(value);
        Encoding.ASCII.GetString(received.Message.Headers.GetLastBytes("service")).ShouldBe("hccm");
        consumer.Close();
    }
}
