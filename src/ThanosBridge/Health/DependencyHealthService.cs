using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ThanosBridge.Health;

/// <summary>How often and how patiently the dependencies are checked.</summary>
public sealed record HealthCheckOptions
{
    /// <summary>Time between the starts of two rounds of checks. Default 30 s; the first round runs at start-up.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one check may take before it counts as failed. Default 10 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// Runs every <see cref="DependencyProbe"/> at start-up and then every <see cref="HealthCheckOptions.Interval"/>, all
/// of a round at once, and records each result in <see cref="ReadinessState"/> for /readyz. A check passes when its
/// probe completes within <see cref="HealthCheckOptions.Timeout"/>; it fails when the probe throws or times out.
/// </summary>
public sealed class DependencyHealthService : BackgroundService
{
    private readonly ReadinessState state;
    private readonly IReadOnlyList<DependencyProbe> probes;
    private readonly IReadOnlyList<string> secrets;
    private readonly HealthCheckOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;

    /// <param name="state">Where results go; every probe's name must be registered in it.</param>
    /// <param name="probes">One per dependency.</param>
    /// <param name="secrets">Values never to show in an error text (tokens, passwords).</param>
    /// <param name="options">Interval and timeout.</param>
    /// <param name="time">The clock for the interval, the timeout and the check times.</param>
    /// <param name="logger">Logs transitions (EventIds 9100-9105).</param>
    public DependencyHealthService(
        ReadinessState state,
        IEnumerable<DependencyProbe> probes,
        IEnumerable<string> secrets,
        HealthCheckOptions options,
        TimeProvider time,
        ILogger<DependencyHealthService> logger)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(probes);
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Interval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Timeout, TimeSpan.Zero);
        this.state = state;
        this.probes = [.. probes];
        this.secrets = [.. secrets.Where(s => !string.IsNullOrEmpty(s))];
        this.options = options;
        this.time = time;
        this.logger = logger;
        foreach (var probe in this.probes)
        {
            state.Register(probe.Name);
        }
    }

    /// <summary>Runs every probe once, concurrently, and records the results.</summary>
    public async Task RunChecksAsync(CancellationToken cancellationToken)
    {
        var wasReady = state.IsReady;
        await Task.WhenAll(probes.Select(p => RunOneAsync(p, cancellationToken)));
        var ready = state.IsReady;
        if (ready != wasReady)
        {
            Log.ReadinessChanged(logger, ready ? "ready" : "unready");
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (probes.Count == 0)
        {
            return;
        }

        var names = string.Join(",", probes.Select(p => p.Name));
        Log.HealthChecksStarted(logger, names, options.Interval, options.Timeout);
        using var timer = new PeriodicTimer(options.Interval, time);
        try
        {
            do
            {
                await RunChecksAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task RunOneAsync(DependencyProbe probe, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(options.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        string? error = null;
        try
        {
            // Yield first so that a probe that blocks synchronously cannot hold up the others.
            await Task.Yield();
            await probe.CheckAsync(linked.Token);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"no answer within {options.Timeout.TotalSeconds:0.###} s");
        }
#pragma warning disable CA1031 // A probe's failure of any kind is the check's result, recorded and logged; nothing is swallowed.
        catch (Exception e)
#pragma warning restore CA1031
        {
            error = HealthErrorText.From(e, secrets);
        }

        if (error is null)
        {
            var previous = state.RecordSuccess(probe.Name);
            if (previous.Status == CheckStatus.Failing)
            {
                var now = time.GetUtcNow();
                var failingFor = now - (previous.FailingSince ?? now);
                Log.DependencyRecovered(logger, probe.Name, failingFor);
            }
            else if (previous.Status == CheckStatus.Pending)
            {
                Log.DependencyAvailable(logger, probe.Name);
            }
        }
        else
        {
            var previous = state.RecordFailure(probe.Name, error);
            if (previous.Status == CheckStatus.Failing)
            {
                Log.DependencyStillFailing(logger, probe.Name, previous.FailingSince, error);
            }
            else
            {
                Log.DependencyCheckFailed(logger, probe.Name, error);
            }
        }
    }
}
