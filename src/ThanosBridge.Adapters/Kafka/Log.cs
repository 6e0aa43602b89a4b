using Microsoft.Extensions.Logging;

namespace ThanosBridge.Adapters.Kafka;

/// <summary>Log events of the Kafka announcer (EventIds 5100–5199, Delivery stage).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5101, EventName = "KafkaAnnounced", Level = LogLevel.Information,
        Message = "announced request {RequestId} for cluster {ClusterId} (org {OrgId}) on {Topic} partition {Partition} offset {Offset}")]
    public static partial void Announced(ILogger logger, string requestId, string clusterId, string orgId, string topic, int partition, long offset);

    [LoggerMessage(EventId = 5102, EventName = "KafkaClientLog", Message = "librdkafka {Facility}: {KafkaMessage}")]
    public static partial void ClientLog(ILogger logger, LogLevel level, string facility, string kafkaMessage);

    [LoggerMessage(EventId = 5103, EventName = "KafkaClientError", Level = LogLevel.Warning,
        Message = "Kafka client error {ErrorCode}: {Reason} (fatal: {IsFatal}); librdkafka retries on its own unless fatal")]
    public static partial void ClientError(ILogger logger, Confluent.Kafka.ErrorCode errorCode, string reason, bool isFatal);

    [LoggerMessage(EventId = 5104, EventName = "KafkaProducerCreated", Level = LogLevel.Information,
        Message = "Kafka producer for {Topic} created: bootstrap {BootstrapServers}, security protocol {SecurityProtocol}, SASL mechanism {SaslMechanism}, delivery timeout {DeliveryTimeout}, librdkafka {LibrdkafkaVersion} from {LibrdkafkaPath}")]
    public static partial void ProducerCreated(
        ILogger logger, string topic, string bootstrapServers, string securityProtocol, string saslMechanism, TimeSpan deliveryTimeout,
        string librdkafkaVersion, string librdkafkaPath);
}
