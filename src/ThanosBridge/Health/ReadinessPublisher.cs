using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace ThanosBridge.Health;

/// <summary>
/// Receives each round of dependency checks from ASP.NET Core's health check publisher (at start-up, then every
/// <see cref="HealthCheckOptions.Interval"/>) and caches the results in <see cref="ReadinessState"/>, which /readyz
/// answers from, so a probe never waits on a dependency. Logs the transitions (EventIds 9100-9105).
/// </summary>
public sealed class ReadinessPublisher(ReadinessState state, HealthCheckOptions options, TimeProvider time, ILogger<ReadinessPublisher> logger)
    : IHealthCheckPublisher
{
    private int started;

    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (Interlocked.Exchange(ref started, 1) == 0)
        {
            var names = string.Join(",", report.Entries.Keys);
            Log.HealthChecksStarted(logger, names, options.Interval, options.Timeout);
        }

        var wasReady = state.IsReady;
        foreach (var (name, entry) in report.Entries)
        {
            Record(name, entry);
        }

        var ready = state.IsReady;
        if (ready != wasReady)
        {
            Log.ReadinessChanged(logger, ready ? "ready" : "unready");
        }

        return Task.CompletedTask;
    }

    private void Record(string name, HealthReportEntry entry)
    {
        if (entry.Status == HealthStatus.Healthy)
        {
            var previous = state.RecordSuccess(name);
            if (previous.Status == CheckStatus.Failing)
            {
                var now = time.GetUtcNow();
                Log.DependencyRecovered(logger, name, now - (previous.FailingSince ?? now));
            }
            else if (previous.Status == CheckStatus.Pending)
            {
                Log.DependencyAvailable(logger, name);
            }

            return;
        }

        // DependencyHealthCheck turns every failure into a redacted description; an exception here would be the
        // framework's own, whose message is not redacted, so only its type is shown.
        var error = entry.Exception is null ? entry.Description ?? "the check failed" : "the check threw " + entry.Exception.GetType().Name;
        var before = state.RecordFailure(name, error);
        if (before.Status == CheckStatus.Failing)
        {
            Log.DependencyStillFailing(logger, name, before.FailingSince, error);
        }
        else
        {
            Log.DependencyCheckFailed(logger, name, error);
        }
    }
}
