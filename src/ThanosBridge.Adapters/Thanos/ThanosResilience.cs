using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace ThanosBridge.Adapters.Thanos;

/// <summary>
/// The Thanos resilience pipeline: retry (outer) around a per-attempt timeout (inner), both on the injected
/// <see cref="TimeProvider"/>. Retries follow the Prometheus error taxonomy: transport failures, timeouts, 429 and
/// 5xx are retried; 400 <c>bad_data</c>, 422 <c>execution</c> and other 4xx never are; nor is the caller's
/// cancellation. Query POSTs are idempotent, so retrying them is safe.
/// </summary>
internal static class ThanosResilience
{
    /// <summary>Jitter spreads each backoff over [0.8, 1.2) of its nominal value.</summary>
    public const double JitterSpread = 0.4;

    /// <summary>A server's Retry-After is honoured up to this long.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(1);

    /// <summary>Set on the resilience context so that retry logs can name the query and the cluster.</summary>
    public static readonly ResiliencePropertyKey<ThanosCall> CallKey = new("thanos.call");

    public static ResiliencePipeline Build(ThanosClientOptions options, TimeProvider timeProvider, Func<double> random, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder { Name = "thanos", TimeProvider = timeProvider };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome.Exception)),
                // Our own exponential backoff with bounded jitter (Polly's decorrelated jitter has no tight bounds).
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(RetryDelay(
                    options.RetryBaseDelay, args.AttemptNumber, (args.Outcome.Exception as ThanosAttemptException)?.RetryAfter, random())),
                OnRetry = args =>
                {
                    if (args.Context.Properties.TryGetValue(CallKey, out var call))
                    {
                        Log.Retrying(logger, call.QueryName, call.ClusterId, ReasonOf(args.Outcome.Exception),
                            args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Exception);
                    }

                    return default;
                },
            });
        }

        return builder.AddTimeout(options.QueryTimeout).Build();
    }

    /// <summary>
    /// Delay after the failed attempt <paramref name="attemptNumber"/> (0-based): base × 2^n × (0.8 + 0.4 × r), or
    /// the server's Retry-After (capped at <see cref="MaxRetryAfter"/>) when that is longer.
    /// </summary>
    public static TimeSpan RetryDelay(TimeSpan baseDelay, int attemptNumber, TimeSpan? retryAfter, double random)
    {
        var backoff = baseDelay * (Math.Pow(2, attemptNumber) * (1 - (JitterSpread / 2) + (JitterSpread * random)));
        if (retryAfter is not { } wait)
        {
            return backoff;
        }

        var capped = wait < MaxRetryAfter ? wait : MaxRetryAfter;
        return capped > backoff ? capped : backoff;
    }

    public static bool IsTransient(Exception? exception) => exception switch
    {
        ThanosAttemptException attempt => attempt.IsTransient,
        TimeoutRejectedException => true,
        // A rejected server certificate is configuration; waiting will not fix it.
        HttpRequestException { InnerException: AuthenticationException } => false,
        HttpRequestException or IOException => true,
        _ => false,
    };

    public static ThanosFailureReason ReasonOf(Exception? exception) => exception switch
    {
        ThanosAttemptException attempt => attempt.Reason,
        TimeoutRejectedException => ThanosFailureReason.Timeout,
        _ => ThanosFailureReason.Transport,
    };
}
