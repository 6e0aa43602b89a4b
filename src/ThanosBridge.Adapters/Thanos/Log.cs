using Microsoft.Extensions.Logging;

namespace ThanosBridge.Adapters.Thanos;

/// <summary>Log events of the Thanos client (EventIds 2100–2199, Collection stage).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2101, EventName = "ThanosQueryRetry", Level = LogLevel.Warning,
        Message = "query {QueryName} for cluster {ClusterId} failed with {FailureReason} on attempt {Attempt}; retrying in {RetryDelay}")]
    public static partial void Retrying(
        ILogger logger, string queryName, string clusterId, ThanosFailureReason failureReason, int attempt, TimeSpan retryDelay, Exception? exception);

    [LoggerMessage(EventId = 2102, EventName = "ThanosQueryWarnings", Level = LogLevel.Warning,
        Message = "query {QueryName} for cluster {ClusterId} returned {WarningCount} warnings; result kept because FailOnWarnings is off: {Warnings}")]
    public static partial void WarningsKept(ILogger logger, string queryName, string clusterId, int warningCount, string warnings);

    [LoggerMessage(EventId = 2103, EventName = "ThanosGetFallback", Level = LogLevel.Information,
        Message = "POST {Path} answered 405; sending queries as GET from now on")]
    public static partial void FallingBackToGet(ILogger logger, string path);

    [LoggerMessage(EventId = 2104, EventName = "ThanosTokenReloaded", Level = LogLevel.Debug,
        Message = "bearer token file {TokenFile} changed; reloaded")]
    public static partial void TokenReloaded(ILogger logger, string tokenFile);
}
