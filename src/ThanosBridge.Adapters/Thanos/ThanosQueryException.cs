using System.Globalization;
using System.Net;

namespace ThanosBridge.Adapters.Thanos;

/// <summary>
/// A Thanos call that failed for good. The message names the query and the cluster, e.g.
/// <c>query pod-usage-cpu-cores for cluster 3f0e…: HTTP 503 after 4 attempts: &lt;error&gt;</c>; it never holds
/// the bearer token.
/// </summary>
#pragma warning disable CA1032 // The identifying fields are required; the parameterless constructors would drop them.
public sealed class ThanosQueryException : Exception
#pragma warning restore CA1032
{
    /// <summary>Server error texts are cut to this many characters (responses can be whole HTML pages).</summary>
    public const int MaxErrorTextLength = 512;

    public ThanosQueryException(
        string queryName,
        string clusterId,
        ThanosFailureReason reason,
        int attempts,
        HttpStatusCode? statusCode = null,
        string? errorType = null,
        string? errorText = null,
        Exception? innerException = null)
        : base(BuildMessage(queryName, clusterId, reason, attempts, statusCode, errorType, Truncate(errorText)), innerException)
    {
        QueryName = queryName;
        ClusterId = clusterId;
        Reason = reason;
        Attempts = attempts;
        StatusCode = statusCode;
        ErrorType = errorType;
        ErrorText = Truncate(errorText);
    }

    public string QueryName { get; }

    /// <summary>The cluster queried; empty for calls that span clusters (label values).</summary>
    public string ClusterId { get; }

    public ThanosFailureReason Reason { get; }

    /// <summary>How many HTTP attempts were made (1 when the failure was not retried).</summary>
    public int Attempts { get; }

    /// <summary>The HTTP status of the last attempt, when it got that far.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Prometheus's <c>errorType</c> (<c>bad_data</c>, <c>execution</c>, …) when the body had one.</summary>
    public string? ErrorType { get; }

    /// <summary>The server's error text (or the warnings), at most <see cref="MaxErrorTextLength"/> characters.</summary>
    public string ErrorText { get; }

    internal static string Truncate(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        text = text.Trim();
        if (text.Length <= MaxErrorTextLength)
        {
            return text;
        }

        const string ellipsis = "...";
        var cut = MaxErrorTextLength - ellipsis.Length;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return string.Concat(text.AsSpan(0, cut), ellipsis);
    }

    private static string BuildMessage(
        string queryName,
        string clusterId,
        ThanosFailureReason reason,
        int attempts,
        HttpStatusCode? statusCode,
        string? errorType,
        string errorText)
    {
        var what = reason switch
        {
            ThanosFailureReason.Timeout => "timed out",
            ThanosFailureReason.Transport => "transport failure",
            ThanosFailureReason.Warnings => "response has warnings",
            ThanosFailureReason.BadResponse => statusCode is { } s ? $"unreadable response (HTTP {(int)s})" : "unreadable response",
            _ when statusCode is { } s && (int)s >= 300 => $"HTTP {(int)s}",
            _ => $"{errorType ?? "unknown"} error",
        };
        var target = clusterId.Length == 0 ? $"query {queryName}" : $"query {queryName} for cluster {clusterId}";
        var plural = attempts == 1 ? "attempt" : "attempts";
        var detail = errorText.Length == 0 ? "" : ": " + errorText;
        return string.Create(CultureInfo.InvariantCulture, $"{target}: {what} after {attempts} {plural}{detail}");
    }
}
