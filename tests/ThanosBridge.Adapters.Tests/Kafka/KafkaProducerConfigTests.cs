using Confluent.Kafka;
using ThanosBridge.Adapters.Kafka;

namespace ThanosBridge.Adapters.Tests.Kafka;

/// <summary>The librdkafka settings derived from <see cref="KafkaOptions"/> (no broker involved).</summary>
public class KafkaProducerConfigTests
{
    [Fact]
    public void BuildProducerConfig_Defaults_IdempotentAllAcksPlaintextBoundedDelivery()
    {
        var config = KafkaAnnouncer.BuildProducerConfig(new KafkaOptions { BootstrapServers = "kafka:9092" });

        config.BootstrapServers.ShouldBe("kafka:9092");
        config.EnableIdempotence.ShouldBe(true);
        config.Acks.ShouldBe(Acks.All);
        config.MessageTimeoutMs.ShouldBe(30_000);
        config.RequestTimeoutMs.ShouldBe(30_000);
        config.SecurityProtocol.ShouldBe(SecurityProtocol.Plaintext);
        config.SaslMechanism.ShouldBeNull();
        config.SaslPassword.ShouldBeNull();
        config.SslCaLocation.ShouldBeNull();
    }

    [Fact]
    public void BuildProducerConfig_ShortDeliveryTimeout_BoundsMessageAndRequestTimeouts()
    {
        var config = KafkaAnnouncer.BuildProducerConfig(
            new KafkaOptions { BootstrapServers = "kafka:9092", DeliveryTimeout = TimeSpan.FromSeconds(2) });

        config.MessageTimeoutMs.ShouldBe(2_000);
        config.RequestTimeoutMs.ShouldBe(2_000);
    }

    [Theory]
    [InlineData("PLAIN", SaslMechanism.Plain)]
    [InlineData("scram-sha-256", SaslMechanism.ScramSha256)]
    [InlineData("SCRAM-SHA-512", SaslMechanism.ScramSha512)]
    public void BuildProducerConfig_SaslWithoutProtocol_DefaultsToSaslSsl(string mechanism, SaslMechanism expected)
    {
        var config = KafkaAnnouncer.BuildProducerConfig(new KafkaOptions
        {
            BootstrapServers = "kafka:9093",
            SaslMechanism = mechanism,
            SaslUsername = "bridge",
            SaslPassword = "s3cret",
            SslCaLocation = "/etc/kafka/ca.crt",
        });

        config.SecurityProtocol.ShouldBe(SecurityProtocol.SaslSsl);
        config.SaslMechanism.ShouldBe(expected);
        config.SaslUsername.ShouldBe("bridge");
        config.SaslPassword.ShouldBe("s3cret");
        config.SslCaLocation.ShouldBe("/etc/kafka/ca.crt");
    }

    [Theory]
    [InlineData("SASL_PLAINTEXT", SecurityProtocol.SaslPlaintext)]
    [InlineData("ssl", SecurityProtocol.Ssl)]
    [InlineData(" PLAINTEXT ", SecurityProtocol.Plaintext)]
    public void BuildProducerConfig_ExplicitProtocol_Honoured(string protocol, SecurityProtocol expected)
    {
        var config = KafkaAnnouncer.BuildProducerConfig(
            new KafkaOptions { BootstrapServers = "kafka:9093", SecurityProtocol = protocol, SaslMechanism = "PLAIN" });

        config.SecurityProtocol.ShouldBe(expected);
    }

    [Theory]
    [InlineData("TLS", null, "KAFKA_SECURITY_PROTOCOL must be PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL, was \"TLS\"")]
    [InlineData(null, "GSSAPI", "KAFKA_SASL_MECHANISM must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, was \"GSSAPI\"")]
    public void BuildProducerConfig_UnknownValue_ThrowsNamingTheVariable(string? protocol, string? mechanism, string expected)
    {
        var ex = Should.Throw<ArgumentException>(() => KafkaAnnouncer.BuildProducerConfig(
            new KafkaOptions { BootstrapServers = "kafka:9093", SecurityProtocol = protocol, SaslMechanism = mechanism }));

        ex.Message.ShouldStartWith(expected);
    }

    [Fact]
    public void BuildProducerConfig_ZeroDeliveryTimeout_Throws()
    {
        Should.Throw<ArgumentException>(() => KafkaAnnouncer.BuildProducerConfig(
            new KafkaOptions { BootstrapServers = "kafka:9092", DeliveryTimeout = TimeSpan.Zero }));
    }
}
