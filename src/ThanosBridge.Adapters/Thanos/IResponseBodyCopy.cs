using ThanosBridge.Core.Collection.Prometheus;

namespace ThanosBridge.Adapters.Thanos;

/// <summary>
/// Takes a copy of a query's response body, byte for byte as it is read (after HTTP content decoding), while the same
/// bytes are parsed. Like an <see cref="ISeriesSink"/> it is restarted before every attempt's body, so that in the end it
/// holds the body of the attempt that succeeded; whether to keep that copy is the caller's decision.
/// </summary>
public interface IResponseBodyCopy
{
    /// <summary>Discards what an earlier attempt copied; returns the stream this attempt's body is written to.</summary>
    Stream Restart();
}

/// <summary>
/// Writing the copy of a response body failed (e.g. a full disk). Not a failure of Thanos: the query is not retried.
/// </summary>
public sealed class ResponseBodyCopyException : Exception
{
    public ResponseBodyCopyException()
    {
    }

    public ResponseBodyCopyException(string message)
        : base(message)
    {
    }

    public ResponseBodyCopyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
