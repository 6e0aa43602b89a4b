using ThanosBridge.Core.Collection.Promql;

namespace ThanosBridge.Core.Discovery;

/// <summary>A cluster id failed <see cref="ClusterId.Parse"/>; the message shows it escaped and truncated.</summary>
public sealed class InvalidClusterIdException : Exception
{
    public InvalidClusterIdException()
        : this(null, "it is null")
    {
    }

    public InvalidClusterIdException(string message)
        : base(message)
    {
        Reason = message;
    }

    public InvalidClusterIdException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
    }

    public InvalidClusterIdException(string? clusterId, string reason)
        : base($"Cluster id {PromqlStrings.ForDisplay(clusterId)} is not valid: {reason}")
    {
        ClusterId = clusterId;
        Reason = reason;
    }

    /// <summary>The rejected id, unmodified (it may contain anything; escape it before display).</summary>
    public string? ClusterId { get; }

    public string Reason { get; }
}
