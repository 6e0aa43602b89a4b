using System.Net;

namespace ThanosBridge.Adapters.Thanos;

/// <summary>One failed attempt, classified; the retry predicate reads it and the client turns the last one into a
/// <see cref="ThanosQueryException"/>.</summary>
internal sealed class ThanosAttemptException(
    ThanosFailureReason reason,
    HttpStatusCode? statusCode,
    string? errorType,
    string errorText,
    TimeSpan? retryAfter = null,
    Exception? innerException = null)
    : Exception(errorText, innerException)
{
    public ThanosFailureReason Reason { get; } = reason;

    public HttpStatusCode? StatusCode { get; } = statusCode;

    public string? ErrorType { get; } = errorType;

    public string ErrorText { get; } = errorText;

    /// <summary>The server's Retry-After, if it sent one.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>400/422 and other 4xx are query or configuration bugs; only these kinds can heal by waiting.</summary>
    public bool IsTransient => Reason is ThanosFailureReason.Timeout or ThanosFailureReason.ServerError
        or ThanosFailureReason.TooManyRequests or ThanosFailureReason.Transport;
}
