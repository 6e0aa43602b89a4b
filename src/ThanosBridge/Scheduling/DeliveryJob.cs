using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;
using ThanosBridge.Core.Delivery;
using ThanosBridge.Core.Ledger;

namespace ThanosBridge.Scheduling;

/// <summary>
/// The scheduled delivery run. Quartz decides when; the runner decides what. Runs never overlap: a trigger that fires
/// while a run is still going waits for it (DisallowConcurrentExecution). Shutdown (SIGTERM) cancels the run's token;
/// every ledger step is atomic, so the next start continues where this one stopped.
/// </summary>
[DisallowConcurrentExecution]
/// <remarks>
/// The ledger is created or migrated by the first run, not at start-up: a database that is down makes runs fail and
/// readiness report it, instead of crash-looping the pod. A failed migration is retried by the next run.
/// </remarks>
public sealed partial class DeliveryJob(
    DeliveryRunner runner, ILedger ledger, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<DeliveryJob> logger) : IJob
{
    public static readonly JobKey Key = new("delivery", "thanos-bridge");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);

        // SIGTERM stops the host; cancel the run at once rather than waiting for it (every ledger step is atomic).
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        cancellationToken = stopping.Token;
        try
        {
            await ledger.InitializeAsync(cancellationToken);
            await runner.RunAsync(time.GetUtcNow(), onlyCluster: null, onlyDay: null, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogRunCancelled(logger);
        }
        catch (Exception e)
        {
            // The runner reports its own failures; this is the ledger's creation or migration (e.g. the database is down).
            LogRunNotStarted(logger, ErrorText.Describe(e));
        }
    }

    [LoggerMessage(EventId = 9200, EventName = "RunCancelled", Level = LogLevel.Warning,
        Message = "delivery run cancelled by shutdown; the ledger holds every finished step and the next start continues from there")]
    private static partial void LogRunCancelled(ILogger logger);

    [LoggerMessage(EventId = 9201, EventName = "RunNotStarted", Level = LogLevel.Error,
        Message = "delivery run could not start: {Error}; the next scheduled run tries again")]
    private static partial void LogRunNotStarted(ILogger logger, string error);
}
