namespace ThanosBridge.Adapters.Thanos;

/// <summary>Why a Thanos call failed; few values, so it can serve as a metric label.</summary>
public enum ThanosFailureReason
{
    /// <summary>No answer within <see cref="ThanosClientOptions.QueryTimeout"/> (retried).</summary>
    Timeout,

    /// <summary>HTTP 5xx, or an error envelope of a server-side kind (retried).</summary>
    ServerError,

    /// <summary>HTTP 429 (retried, honouring Retry-After).</summary>
    TooManyRequests,

    /// <summary>HTTP 4xx other than 400 and 429, e.g. 401, 403, 404, 422 <c>execution</c> (not retried).</summary>
    ClientError,

    /// <summary>HTTP 400 / <c>bad_data</c>: the query or its parameters are wrong (not retried).</summary>
    BadData,

    /// <summary>The response carried warnings and <see cref="ThanosClientOptions.FailOnWarnings"/> is set.</summary>
    Warnings,

    /// <summary>Connection refused or reset, TLS failure, body cut mid-stream (retried, except TLS rejection).</summary>
    Transport,

    /// <summary>A 2xx body that is not the expected Prometheus JSON (not retried).</summary>
    BadResponse,
}
