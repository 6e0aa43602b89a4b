using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ThanosBridge.Core.Confirmation;
using ThanosBridge.Core.Discovery;
using ThanosBridge.Core.Ledger;
using ThanosBridge.Core.Metrics;

namespace ThanosBridge.Core.Delivery;

/// <summary>What one run did.</summary>
public sealed record RunSummary(
    DateTimeOffset Started,
    TimeSpan Duration,
    DiscoveryResult? Discovery,
    IReadOnlyList<string> Unregistered,
    IReadOnlyList<ClusterOutcome> Clusters,
    string? Error)
{
    /// <summary>Auto-registration's report, when it is enabled (it runs before discovery; its failures do not fail the run).</summary>
    public RegistrationReport? Registration { get; init; }

    /// <summary>The delivery-confirmation check of the run (before its deliveries; its failures do not fail the run).</summary>
    public ConfirmationReport Confirmation { get; init; } = ConfirmationReport.Off;

    /// <summary>True when discovery worked and no cluster failed.</summary>
    public bool Succeeded => Error is null && Clusters.All(c => c.Result != ClusterResult.Failed);
}

/// <summary>
/// One delivery cycle: auto-registration of ACM's ManagedClusters in koku (when enabled), discovery (which then sees
/// the sources just created, so a new cluster is delivered in the same run), the clusters that send metrics but are not
/// registered, then every cluster in parallel (up to THANOS_BRIDGE_MAX_PARALLEL_CLUSTERS). One cluster's failure never
/// stops the others, and a failed registration never stops delivery.
/// </summary>
public sealed partial class DeliveryRunner(
    IClusterSource source,
    Func<CancellationToken, Task<IReadOnlyList<string>>> clustersInThanos,
    ClusterDelivery delivery,
    ILedger ledger,
    DeliveryOptions options,
    TimeProvider time,
    BridgeMetrics metrics,
    ILogger<DeliveryRunner> logger,
    ClusterRegistrar? registration = null,
    DeliveryConfirmation? confirmation = null)
{
    public async Task<RunSummary> RunAsync(DateTimeOffset now, ClusterId? onlyCluster, DateOnly? onlyDay, CancellationToken cancellationToken)
    {
        using var activity = ClusterDelivery.Activities.StartActivity("run");
        var started = time.GetTimestamp();
        LogRunStarted(logger, now);
        RunSummary summary;
        var registered = registration is null ? null : await registration.RunAsync(dryRun: null, cancellationToken);
        try
        {
            summary = await RunCoreAsync(now, onlyCluster, onlyDay, cancellationToken) with { Registration = registered };
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var message = ErrorText.Describe(e);
            LogDiscoveryFailed(logger, message);
            summary = new RunSummary(now, TimeSpan.Zero, null, [], [], "cluster discovery failed: " + message) { Registration = registered };
        }

        summary = summary with { Duration = time.GetElapsedTime(started) };
        var result = summary.Succeeded ? "success" : summary.Clusters.Any(c => c.Result != ClusterResult.Failed) ? "partial" : "failure";
        metrics.Runs.Add(1, new KeyValuePair<string, object?>("result", result));
        metrics.RunDuration.Record(summary.Duration.TotalSeconds);
        if (summary.Succeeded)
        {
            metrics.SetLastSuccessfulRun(time.GetUtcNow());
        }
        else
        {
            activity?.SetStatus(ActivityStatusCode.Error, summary.Error ?? "some clusters failed");
        }

        var delivered = summary.Clusters.Count(c => c.Result == ClusterResult.Delivered);
        var upToDate = summary.Clusters.Count(c => c.Result == ClusterResult.UpToDate);
        var failed = summary.Clusters.Count(c => c.Result == ClusterResult.Failed);
        LogRunFinished(logger, result, delivered, upToDate, failed, summary.Duration.TotalSeconds);
        return summary;
    }

    private async Task<RunSummary> RunCoreAsync(DateTimeOffset now, ClusterId? onlyCluster, DateOnly? onlyDay, CancellationToken ct)
    {
        // The cluster sources log each skipped cluster once, with its reason.
        var discovery = await source.DiscoverAsync(ct);
        var groups = discovery.Clusters
            .Where(c => onlyCluster is null || c.ClusterId == onlyCluster)
            .GroupBy(c => c.ClusterId)
            .ToList();
        if (onlyCluster is not null && groups.Count == 0)
        {
            var skipped = discovery.Skipped.FirstOrDefault(s => s.ClusterId == onlyCluster.Value);
            var why = skipped is null ? "it is not registered in koku (or not in THANOS_BRIDGE_CLUSTERS)" : $"it is skipped: {skipped.Reason}: {skipped.Detail}";
            return new RunSummary(now, TimeSpan.Zero, discovery, await FindUnregisteredAsync(discovery, ct), [],
                $"cluster {onlyCluster} is not delivered for: {why}");
        }

        // Confirmation first: what earlier runs published is checked in koku (and announced again when koku never recorded
        // it) before this run's deliveries may supersede it.
        var byCluster = groups.ToDictionary(g => g.Key, g => (IReadOnlyList<DiscoveredCluster>)[.. g]);
        var confirmed = confirmation is null ? ConfirmationReport.Off : await confirmation.RunAsync(byCluster, onlyCluster, onlyDay, ct);

        // The deliveries start first: what only the metrics and the summary need (the clusters Thanos knows, the
        // freshness from the ledger) is read while the first queries are in flight, not before them.
        metrics.RetainLastDelivered(discovery.Clusters.Select(c => c.ClusterId).ToHashSet());
        using var gate = new SemaphoreSlim(Math.Max(1, options.MaxParallelClusters));
        var deliveries = Task.WhenAll(groups.Select(async g =>
        {
            await gate.WaitAsync(ct);
            try
            {
                return await delivery.RunAsync(g.Key, [.. g], now, onlyDay, ct);
            }
            finally
            {
                gate.Release();
            }
        }));

        // Both read errors are logged and swallowed; the run ends when the deliveries and the reads have.
        var reads = ReadRunFactsAsync(discovery, ct);
        await Task.WhenAll(deliveries, reads);
        return new RunSummary(now, TimeSpan.Zero, discovery, await reads, await deliveries, null) { Confirmation = confirmed };
    }

    /// <summary>The unregistered clusters (also into the discovery gauges) and the freshness gauge.</summary>
    private async Task<IReadOnlyList<string>> ReadRunFactsAsync(DiscoveryResult discovery, CancellationToken ct)
    {
        var unregistered = await FindUnregisteredAsync(discovery, ct);
        metrics.SetDiscovery(
            discovery.Clusters.Select(c => c.ClusterId).Distinct().Count(),
            discovery.Skipped.GroupBy(s => s.Reason).ToDictionary(g => g.Key, g => g.Count()),
            unregistered.Count);
        await ReadFreshnessAsync(discovery, ct);
        return unregistered;
    }

    /// <summary>
    /// The freshness gauge from the ledger, so that it is right after a restart too (alerts use it). A delivery of
    /// this run may have set a later hour already; the gauge keeps the later one.
    /// </summary>
    private async Task ReadFreshnessAsync(DiscoveryResult discovery, CancellationToken ct)
    {
        try
        {
            var lastDelivered = await ledger.GetLastDeliveredAsync(ct);
            foreach (var cluster in discovery.Clusters)
            {
                if (lastDelivered.TryGetValue(cluster.ClusterId, out var hourEnd))
                {
                    metrics.SetLastDelivered(cluster.ClusterId, hourEnd);
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogFreshnessReadFailed(logger, ErrorText.Describe(e));
        }
    }

    private async Task<IReadOnlyList<string>> FindUnregisteredAsync(DiscoveryResult discovery, CancellationToken ct)
    {
        try
        {
            var known = discovery.Clusters.Select(c => c.ClusterId.Value).Concat(discovery.Skipped.Select(s => s.ClusterId)).ToHashSet(StringComparer.Ordinal);
            var unregistered = (await clustersInThanos(ct)).Where(id => !known.Contains(id)).Order(StringComparer.Ordinal).ToList();
            if (unregistered.Count > 0)
            {
                LogUnregisteredClusters(logger, unregistered.Count, string.Join(", ", unregistered));
            }

            return unregistered;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogUnregisteredCheckFailed(logger, ErrorText.Describe(e));
            return [];
        }
    }

    [LoggerMessage(EventId = 1100, EventName = "RunStarted", Level = LogLevel.Information, Message = "delivery run started at {Now:O}")]
    private static partial void LogRunStarted(ILogger logger, DateTimeOffset now);

    [LoggerMessage(EventId = 1102, EventName = "UnregisteredClusters", Level = LogLevel.Warning,
        Message = "{Count} cluster(s) send metrics to Thanos but are not registered in koku, so nothing is delivered for them: {ClusterIds}")]
    private static partial void LogUnregisteredClusters(ILogger logger, int count, string clusterIds);

    [LoggerMessage(EventId = 1103, EventName = "UnregisteredCheckFailed", Level = LogLevel.Warning,
        Message = "could not list the cluster label values in Thanos to find unregistered clusters: {Error}; delivery continues")]
    private static partial void LogUnregisteredCheckFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 1106, EventName = "FreshnessReadFailed", Level = LogLevel.Warning,
        Message = "could not read the last delivered hours from the ledger for the freshness metric: {Error}; delivery continues")]
    private static partial void LogFreshnessReadFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 1104, EventName = "DiscoveryFailed", Level = LogLevel.Error,
        Message = "cluster discovery failed, nothing was delivered in this run: {Error}")]
    private static partial void LogDiscoveryFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 1105, EventName = "RunFinished", Level = LogLevel.Information,
        Message = "delivery run finished: {Result}; {Delivered} cluster(s) delivered, {UpToDate} up to date, {Failed} failed in {Seconds:F1} s")]
    private static partial void LogRunFinished(ILogger logger, string result, int delivered, int upToDate, int failed, double seconds);
}
