namespace ThanosBridge.Core.Collection.Prometheus;

/// <summary>
/// The server answered with the Prometheus error envelope (<c>"status":"error"</c>). <see cref="ErrorType"/> is
/// Prometheus's <c>errorType</c> (<c>bad_data</c>, <c>execution</c>, <c>timeout</c>, <c>canceled</c>,
/// <c>internal</c>, <c>unavailable</c>, <c>not_found</c>).
/// </summary>
#pragma warning disable CA1032 // The two fields are the whole point of the type; message-only constructors would lose them.
public sealed class PrometheusApiException(string errorType, string error)
    : Exception($"prometheus API error {errorType}: {error}")
#pragma warning restore CA1032
{
    public string ErrorType { get; } = errorType;

    public string Error { get; } = error;
}

/// <summary>
/// The body is not a Prometheus API response of the expected shape: not JSON, truncated JSON, a missing envelope
/// field, or a result type other than the one asked for.
/// </summary>
public sealed class PrometheusResponseFormatException : Exception
{
    public PrometheusResponseFormatException()
    {
    }

    public PrometheusResponseFormatException(string message)
        : base(message)
    {
    }

    public PrometheusResponseFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
