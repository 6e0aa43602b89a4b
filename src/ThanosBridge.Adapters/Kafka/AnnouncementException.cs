namespace ThanosBridge.Adapters.Kafka;

/// <summary>
/// An announcement the broker did not acknowledge (or the readiness check failed). The message names the topic and the
/// cluster, e.g. <c>announcement 6f1c… for cluster a1f0… on topic platform.upload.announce was not persisted: Local: Message timed out</c>;
/// it never holds the download URL (a credential) or the SASL password.
/// </summary>
#pragma warning disable CA1032 // The identifying fields are required; the parameterless constructors would drop them.
public sealed class AnnouncementException : Exception
#pragma warning restore CA1032
{
    public AnnouncementException(string topic, string clusterId, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Topic = topic;
        ClusterId = clusterId;
    }

    public string Topic { get; }

    /// <summary>The cluster announced for; empty for the readiness check.</summary>
    public string ClusterId { get; }
}
