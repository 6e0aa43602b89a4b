using System.Globalization;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using ThanosBridge.Core.Delivery;
using ThanosBridge.Core.Discovery;

namespace ThanosBridge.Adapters.Kafka;

/// <summary>
/// Announces payloads on <c>platform.upload.announce</c> the way koku's listener expects (koku-ingestion.md §1.1–1.3):
/// key = cluster id (one listener handles a cluster's payloads in order), exactly one header <c>service: hccm</c>,
/// value = <see cref="AnnouncementJson"/>. One idempotent producer with acks from all in-sync replicas; an
/// announcement counts only once the broker reports it persisted.
/// </summary>
public sealed class KafkaAnnouncer : IAnnouncer, IDisposable
{
    /// <summary>The longest <see cref="CheckAsync"/> waits for the broker (shorter when the delivery timeout is).</summary>
    public static readonly TimeSpan MaxCheckTimeout = TimeSpan.FromSeconds(10);

    private static readonly byte[] ServiceHeaderValue = "hccm"u8.ToArray();

    private int disposed;
    private readonly IProducer<string, byte[]> producer;
    private readonly ILogger<KafkaAnnouncer> logger;
    private readonly TimeSpan deliveryTimeout;
    private readonly string bootstrapServers;

    /// <param name="options">Brokers, security and the delivery timeout.</param>
    /// <param name="logger">Receives EventIds 5101–5104 (librdkafka's own log lines and errors included).</param>
    /// <exception cref="ArgumentException">The security protocol or SASL mechanism is not one Kafka knows.</exception>
    /// <exception cref="InvalidOperationException">The bundled librdkafka is missing or cannot be loaded.</exception>
    public KafkaAnnouncer(KafkaOptions options, ILogger<KafkaAnnouncer> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        this.logger = logger;
        deliveryTimeout = options.DeliveryTimeout;
        bootstrapServers = options.BootstrapServers;
        var config = BuildProducerConfig(options);

        var librdkafkaPath = BundledLibrdkafka.EnsureLoaded();
        producer = new ProducerBuilder<string, byte[]>(config)
            .SetLogHandler((_, message) => OnClientLog(logger, message))
            .SetErrorHandler((_, error) => Log.ClientError(logger, error.Code, error.Reason, error.IsFatal))
            .Build();
        var securityProtocol = config.SecurityProtocol?.ToString() ?? "Plaintext";
        var saslMechanism = config.SaslMechanism?.ToString() ?? "none";
        var librdkafkaVersion = Library.VersionString;
        Log.ProducerCreated(
            logger, KafkaOptions.AnnounceTopic, bootstrapServers, securityProtocol, saslMechanism, deliveryTimeout, librdkafkaVersion, librdkafkaPath);
    }

    /// <summary>How long <see cref="CheckAsync"/> waits: the delivery timeout, at most <see cref="MaxCheckTimeout"/>.</summary>
    public TimeSpan CheckTimeout => deliveryTimeout < MaxCheckTimeout ? deliveryTimeout : MaxCheckTimeout;

    /// <summary>Returns once the broker reported the message persisted; fails after at most the delivery timeout.</summary>
    /// <exception cref="AnnouncementException">The message was not (or only possibly) persisted.</exception>
    public async Task AnnounceAsync(ClusterId clusterId, Announcement announcement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clusterId);
        ArgumentNullException.ThrowIfNull(announcement);
        var message = new Message<string, byte[]>
        {
            Key = clusterId.Value,
            Value = AnnouncementJson.Serialize(announcement),
            // Exactly one header: koku's listener takes the first header whose key *or value* is "service".
            Headers = new Headers { { "service", ServiceHeaderValue } },
        };

        DeliveryResult<string, byte[]> result;
        try
        {
            result = await producer.ProduceAsync(KafkaOptions.AnnounceTopic, message, cancellationToken);
        }
        catch (ProduceException<string, byte[]> ex)
        {
            // The exception carries the message (and so the pre-signed URL): keep only the error.
            throw NotPersisted(clusterId.Value, announcement.RequestId, ex.Error.Reason, new KafkaException(ex.Error));
        }
        catch (KafkaException ex)
        {
            throw NotPersisted(clusterId.Value, announcement.RequestId, ex.Error.Reason, new KafkaException(ex.Error));
        }

        if (result.Status != PersistenceStatus.Persisted)
        {
            throw NotPersisted(clusterId.Value, announcement.RequestId, $"delivery status {result.Status}", null);
        }

        Log.Announced(logger, announcement.RequestId, clusterId.Value, announcement.OrgId, result.Topic, result.Partition.Value, result.Offset.Value);
    }

    /// <summary>
    /// Readiness: a metadata request to the brokers, bounded by <see cref="CheckTimeout"/>. Healthy when a broker
    /// answered and <c>platform.upload.announce</c> exists with partitions.
    /// </summary>
    /// <exception cref="AnnouncementException">No broker answered in time, or the topic is missing or in error.</exception>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        var timeout = CheckTimeout;
        Metadata metadata;
        try
        {
            // GetMetadata blocks for up to the timeout; keep it off the caller's thread.
            metadata = await Task.Run(
                () =>
                {
                    using var admin = new DependentAdminClientBuilder(producer.Handle).Build();
                    return admin.GetMetadata(timeout);
                },
                cancellationToken).WaitAsync(cancellationToken);
        }
        catch (KafkaException ex)
        {
            throw CheckFailed(
                string.Create(CultureInfo.InvariantCulture, $"no metadata from the brokers within {timeout.TotalSeconds:0.#} s: {ex.Error.Reason}"),
                new KafkaException(ex.Error));
        }

        if (metadata.Brokers.Count == 0)
        {
            throw CheckFailed("the metadata lists no broker", null);
        }

        var topic = metadata.Topics.Find(t => t.Topic == KafkaOptions.AnnounceTopic);
        if (topic is null)
        {
            throw CheckFailed("the topic does not exist", null);
        }

        if (topic.Error.IsError || topic.Partitions.Count == 0)
        {
            throw CheckFailed($"the topic is not usable: {topic.Error.Reason}", null);
        }
    }

    public void Dispose()
    {
        // Idempotent: a container that registers this as itself and as IAnnouncer disposes it twice.
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        // AnnounceAsync waits for every delivery, so only cancelled announcements can still be queued.
        producer.Flush(deliveryTimeout);
        producer.Dispose();
    }

    /// <summary>The librdkafka settings for <paramref name="options"/> (exposed for tests).</summary>
    internal static ProducerConfig BuildProducerConfig(KafkaOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.BootstrapServers);
        if (options.DeliveryTimeout < TimeSpan.FromMilliseconds(100) || options.DeliveryTimeout > TimeSpan.FromDays(1))
        {
            throw new ArgumentException(
                $"the Kafka delivery timeout must be between 100 ms and 1 day, was {options.DeliveryTimeout}", nameof(options));
        }

        var deliveryMs = (int)options.DeliveryTimeout.TotalMilliseconds;
        var config = new ProducerConfig
        {
            BootstrapServers = options.BootstrapServers,
            ClientId = "thanos-bridge",
            EnableIdempotence = true,
            Acks = Acks.All,
            // The whole delivery (queueing, retries, acknowledgement) must end within the delivery timeout.
            MessageTimeoutMs = deliveryMs,
            RequestTimeoutMs = Math.Min(deliveryMs, 30_000),
        };

        var saslMechanism = ParseSaslMechanism(options.SaslMechanism);
        config.SecurityProtocol = ParseSecurityProtocol(options.SecurityProtocol)
            ?? (saslMechanism is null ? SecurityProtocol.Plaintext : SecurityProtocol.SaslSsl);
        if (saslMechanism is not null)
        {
            config.SaslMechanism = saslMechanism;
            config.SaslUsername = options.SaslUsername;
            config.SaslPassword = options.SaslPassword;
        }

        if (!string.IsNullOrEmpty(options.SslCaLocation))
        {
            config.SslCaLocation = options.SslCaLocation;
        }

        return config;
    }

    private static SecurityProtocol? ParseSecurityProtocol(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : value.Trim().ToUpperInvariant() switch
        {
            "PLAINTEXT" => SecurityProtocol.Plaintext,
            "SSL" => SecurityProtocol.Ssl,
            "SASL_PLAINTEXT" => SecurityProtocol.SaslPlaintext,
            "SASL_SSL" => SecurityProtocol.SaslSsl,
            _ => throw new ArgumentException(
                $"KAFKA_SECURITY_PROTOCOL must be PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL, was \"{value}\"", nameof(value)),
        };

    private static SaslMechanism? ParseSaslMechanism(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : value.Trim().ToUpperInvariant() switch
        {
            "PLAIN" => SaslMechanism.Plain,
            "SCRAM-SHA-256" => SaslMechanism.ScramSha256,
            "SCRAM-SHA-512" => SaslMechanism.ScramSha512,
            _ => throw new ArgumentException(
                $"KAFKA_SASL_MECHANISM must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, was \"{value}\"", nameof(value)),
        };

    private static void OnClientLog(ILogger logger, LogMessage message)
    {
        var level = ToLogLevel(message.Level);
        Log.ClientLog(logger, level, message.Facility, message.Message);
    }

    private static LogLevel ToLogLevel(SyslogLevel level) => level switch
    {
        SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical => LogLevel.Critical,
        SyslogLevel.Error => LogLevel.Error,
        SyslogLevel.Warning => LogLevel.Warning,
        SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
        _ => LogLevel.Debug,
    };

    private static AnnouncementException NotPersisted(string clusterId, string requestId, string reason, Exception? inner) =>
        new(KafkaOptions.AnnounceTopic, clusterId,
            $"announcement {requestId} for cluster {clusterId} on topic {KafkaOptions.AnnounceTopic} was not persisted: {reason}", inner);

    private AnnouncementException CheckFailed(string reason, Exception? inner) =>
        new(KafkaOptions.AnnounceTopic, "",
            $"Kafka readiness check of topic {KafkaOptions.AnnounceTopic} at {bootstrapServers} failed: {reason}", inner);
}
