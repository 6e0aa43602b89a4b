using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ThanosBridge.Core.Delivery;
using ThanosBridge.Core.Metrics;

namespace ThanosBridge.Core.Discovery;

/// <summary>What happened to one ManagedCluster in a registration run.</summary>
public enum RegistrationResult
{
    /// <summary>koku created the source (201).</summary>
    Registered,

    /// <summary>Dry run: it would have been registered.</summary>
    WouldRegister,

    /// <summary>koku has the cluster already (a source found in its tables, or its 400 for a duplicate).</summary>
    AlreadyRegistered,

    /// <summary>Not registered, on purpose (<see cref="RegistrationSkipReasons"/>).</summary>
    Skipped,

    /// <summary>Should have been registered and was not (<see cref="RegistrationFailureReasons"/>).</summary>
    Failed,
}

/// <summary>One ManagedCluster's outcome.</summary>
public sealed record RegistrationOutcome(string Name, string? ClusterId, RegistrationResult Result, string? Reason, string Detail);

/// <summary>What a registration run did; <see cref="Error"/> is set when it could not run at all.</summary>
public sealed record RegistrationReport(
    bool DryRun,
    IReadOnlyList<RegistrationOutcome> Clusters,
    IReadOnlyList<KokuOcpSource> Disappeared,
    string? ErrorReason = null,
    string? Error = null)
{
    public bool Succeeded => Error is null && Clusters.All(c => c.Result != RegistrationResult.Failed);

    public int Count(RegistrationResult result) => Clusters.Count(c => c.Result == result);
}

/// <summary>
/// Auto-registration of ACM ManagedClusters in koku: lists the ManagedClusters, reads koku's OCP sources, decides with
/// <see cref="RegistrationRules"/> and creates the missing sources through koku's sources API, one at a time. Never
/// deletes anything. It is the boundary of registration's failures: it logs them, counts them and returns them in the
/// report, so that delivery goes on for the clusters koku knows.
/// </summary>
public sealed partial class ClusterRegistrar(
    IManagedClusterLister lister,
    IKokuSourceInventory inventory,
    IKokuSourceRegistrar registrar,
    RegistrationOptions options,
    BridgeMetrics metrics,
    ILogger<ClusterRegistrar> logger)
{
    /// <summary>The settings the run decides with (a scheduled run's dry-run flag among them).</summary>
    public RegistrationOptions Options => options;

    /// <param name="dryRun">Decide and report, but send nothing; null: <see cref="RegistrationOptions.DryRun"/>.</param>
    public async Task<RegistrationReport> RunAsync(bool? dryRun, CancellationToken cancellationToken)
    {
        var dry = dryRun ?? options.DryRun;
        using var activity = ClusterDelivery.Activities.StartActivity("register");
        RegistrationPlan plan;
        try
        {
            var clusters = await lister.ListAsync(cancellationToken);
            var koku = await inventory.ReadAsync(options.OrgId, cancellationToken);
            plan = RegistrationRules.Plan(clusters, koku, options);
        }
        catch (RegistrationException e)
        {
            metrics.RegistrationFailures.Add(1, new KeyValuePair<string, object?>("reason", e.Reason));
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            LogRegistrationUnavailable(logger, e.Reason, ErrorText.Describe(e));
            return new RegistrationReport(dry, [], [], e.Reason, ErrorText.Describe(e));
        }

        var outcomes = new List<RegistrationOutcome>(plan.Decisions.Count);
        foreach (var decision in plan.Decisions)
        {
            outcomes.Add(await CarryOutAsync(decision, dry, cancellationToken));
        }

        foreach (var gone in plan.Disappeared)
        {
            LogClusterDisappeared(logger, gone.ClusterId, gone.SourceId, gone.Name);
        }

        metrics.SetRegistration(
            outcomes.Where(o => o.Result == RegistrationResult.Skipped).GroupBy(o => o.Reason!).ToDictionary(g => g.Key, g => g.Count()),
            plan.Disappeared.Count);
        var report = new RegistrationReport(dry, outcomes, plan.Disappeared);
        if (!report.Succeeded)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "some clusters could not be registered");
        }

        var registered = report.Count(RegistrationResult.Registered) + report.Count(RegistrationResult.WouldRegister);
        var already = report.Count(RegistrationResult.AlreadyRegistered);
        var skipped = report.Count(RegistrationResult.Skipped);
        var failed = report.Count(RegistrationResult.Failed);
        LogRegistrationFinished(logger, registered, already, skipped, failed, plan.Disappeared.Count, dry);
        return report;
    }

    private async Task<RegistrationOutcome> CarryOutAsync(RegistrationDecision decision, bool dryRun, CancellationToken ct)
    {
        switch (decision.Action)
        {
            case RegistrationAction.Skip:
                LogClusterSkipped(logger, decision.Name, decision.Reason!, decision.Detail);
                return Outcome(decision, RegistrationResult.Skipped, decision.Reason, decision.Detail);
            case RegistrationAction.AlreadyRegistered:
                LogAlreadyInKoku(logger, decision.Name, decision.ClusterId!, decision.Detail);
                return Outcome(decision, RegistrationResult.AlreadyRegistered, null, decision.Detail);
            case RegistrationAction.Refuse:
                return Fail(decision, decision.Reason!, decision.Detail, dryRun);
            case RegistrationAction.Register when dryRun:
                LogWouldRegister(logger, decision.Name, decision.ClusterId!, options.OrgId);
                return Outcome(decision, RegistrationResult.WouldRegister, null, $"dry run: would register it in org {options.OrgId}");
        }

        var result = await registrar.RegisterAsync(decision.Name, decision.ClusterId!, ct);
        switch (result.Status)
        {
            case SourceRegistrationStatus.Created:
                metrics.Registrations.Add(1, new KeyValuePair<string, object?>("result", "registered"));
                LogClusterRegistered(logger, decision.Name, decision.ClusterId!, result.SourceId ?? "?", options.OrgId);
                return Outcome(decision, RegistrationResult.Registered, null, $"koku source {result.SourceId ?? "?"} in org {options.OrgId}");
            case SourceRegistrationStatus.AlreadyExists:
                metrics.Registrations.Add(1, new KeyValuePair<string, object?>("result", "already_registered"));
                LogDuplicateAnswered(logger, decision.Name, decision.ClusterId!, result.Detail);
                return Outcome(decision, RegistrationResult.AlreadyRegistered, null, result.Detail);
            default:
                return Fail(decision, result.Reason ?? RegistrationFailureReasons.KokuRejected, result.Detail, dryRun);
        }
    }

    private RegistrationOutcome Fail(RegistrationDecision decision, string reason, string detail, bool dryRun)
    {
        if (!dryRun)
        {
            metrics.RegistrationFailures.Add(1, new KeyValuePair<string, object?>("reason", reason));
        }

        LogRegistrationFailed(logger, decision.Name, decision.ClusterId ?? "", reason, detail);
        return Outcome(decision, RegistrationResult.Failed, reason, detail);
    }

    private static RegistrationOutcome Outcome(RegistrationDecision decision, RegistrationResult result, string? reason, string detail) =>
        new(decision.Name, decision.ClusterId, result, reason, detail);

    [LoggerMessage(EventId = 1201, EventName = "ClusterRegistered", Level = LogLevel.Information,
        Message = "registered ManagedCluster {ManagedCluster} (cluster {ClusterId}) in koku as source {SourceId} of org {OrgId}")]
    private static partial void LogClusterRegistered(ILogger logger, string managedCluster, string clusterId, string sourceId, string orgId);

    [LoggerMessage(EventId = 1202, EventName = "ClusterAlreadyInKoku", Level = LogLevel.Debug,
        Message = "ManagedCluster {ManagedCluster} (cluster {ClusterId}) is already registered: {Detail}")]
    private static partial void LogAlreadyInKoku(ILogger logger, string managedCluster, string clusterId, string detail);

    [LoggerMessage(EventId = 1203, EventName = "ManagedClusterSkipped", Level = LogLevel.Information,
        Message = "ManagedCluster {ManagedCluster} is not registered in koku ({SkipReason}): {SkipDetail}")]
    private static partial void LogClusterSkipped(ILogger logger, string managedCluster, string skipReason, string skipDetail);

    [LoggerMessage(EventId = 1204, EventName = "ClusterRegistrationFailed", Level = LogLevel.Error,
        Message = "registering ManagedCluster {ManagedCluster} (cluster {ClusterId}) in koku failed ({FailureReason}): {Error}; the next run tries again")]
    private static partial void LogRegistrationFailed(ILogger logger, string managedCluster, string clusterId, string failureReason, string error);

    [LoggerMessage(EventId = 1205, EventName = "ManagedClusterDisappeared", Level = LogLevel.Warning,
        Message = "cluster {ClusterId} (koku source {SourceId}, {SourceName}) was registered by the bridge but no ManagedCluster claims it any more (detached, deleted, or no longer selected by THANOS_BRIDGE_AUTO_REGISTER_SELECTOR); its koku source and cost history are kept")]
    private static partial void LogClusterDisappeared(ILogger logger, string clusterId, int sourceId, string sourceName);

    [LoggerMessage(EventId = 1206, EventName = "RegistrationUnavailable", Level = LogLevel.Error,
        Message = "cluster registration could not run ({FailureReason}): {Error}; delivery goes on for the clusters koku knows and the next run tries again")]
    private static partial void LogRegistrationUnavailable(ILogger logger, string failureReason, string error);

    [LoggerMessage(EventId = 1207, EventName = "RegistrationFinished", Level = LogLevel.Information,
        Message = "cluster registration finished: {Registered} registered, {AlreadyRegistered} already in koku, {Skipped} skipped, {Failed} failed, {Disappeared} disappeared (dry run: {DryRun})")]
    private static partial void LogRegistrationFinished(ILogger logger, int registered, int alreadyRegistered, int skipped, int failed, int disappeared, bool dryRun);

    [LoggerMessage(EventId = 1208, EventName = "WouldRegisterCluster", Level = LogLevel.Information,
        Message = "dry run: would register ManagedCluster {ManagedCluster} (cluster {ClusterId}) in koku org {OrgId}")]
    private static partial void LogWouldRegister(ILogger logger, string managedCluster, string clusterId, string orgId);

    [LoggerMessage(EventId = 1209, EventName = "ClusterRegistrationDuplicate", Level = LogLevel.Information,
        Message = "koku answered that it already has ManagedCluster {ManagedCluster} (cluster {ClusterId}): {Detail}; counted as registered")]
    private static partial void LogDuplicateAnswered(ILogger logger, string managedCluster, string clusterId, string detail);
}
