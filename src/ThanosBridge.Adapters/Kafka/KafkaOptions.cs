namespace ThanosBridge.Adapters.Kafka;

/// <summary>Kafka settings, under koku's variable names so one Secret serves both (koku-ingestion.md §1.1, §4.6).</summary>
public sealed record KafkaOptions
{
    public const string AnnounceTopic = "platform.upload.announce";

    /// <summary>KAFKA_BOOTSTRAP_SERVERS, or INSIGHTS_KAFKA_HOST:INSIGHTS_KAFKA_PORT.</summary>
    public required string BootstrapServers { get; init; }

    /// <summary>KAFKA_SECURITY_PROTOCOL (PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL); default SASL_SSL when SASL is set, else PLAINTEXT.</summary>
    public string? SecurityProtocol { get; init; }

    /// <summary>KAFKA_SASL_MECHANISM (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512).</summary>
    public string? SaslMechanism { get; init; }

    /// <summary>KAFKA_SASL_USERNAME.</summary>
    public string? SaslUsername { get; init; }

    /// <summary>KAFKA_SASL_PASSWORD. A secret: never logged.</summary>
    public string? SaslPassword { get; init; }

    /// <summary>KAFKA_SSL_CA_LOCATION: PEM file of the broker CA.</summary>
    public string? SslCaLocation { get; init; }

    /// <summary>How long to wait for the broker's acknowledgement of one announcement.</summary>
    public TimeSpan DeliveryTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
