using System.Globalization;
using Microsoft.Extensions.Logging;

namespace ThanosBridge.Core.Discovery;

/// <summary>The newest payload koku recorded for a cluster from a producer other than the bridge (CMMO).</summary>
/// <param name="OperatorVersion">koku's <c>operator_version</c> of that manifest, e.g. <c>costmanagement-metrics-operator:4.4.2</c>.</param>
public sealed record OperatorUpload(string OperatorVersion, DateTimeOffset At);

/// <summary>Which clusters an operator still uploads for: koku's manifest table (koku-ingestion.md §4.5).</summary>
public interface IOperatorUploads
{
    /// <summary>Per cluster id, the newest manifest since <paramref name="since"/> whose producer is not the bridge.</summary>
    Task<IReadOnlyDictionary<string, OperatorUpload>> NewestSinceAsync(DateTimeOffset since, CancellationToken cancellationToken);
}

/// <param name="Window">How far back an operator's payload keeps the bridge away (THANOS_BRIDGE_CMMO_WINDOW_HOURS).</param>
/// <param name="SwitchedOver">Clusters delivered for whatever koku recorded (THANOS_BRIDGE_SWITCHED_OVER_CLUSTERS).</param>
public sealed record CoexistenceOptions(TimeSpan Window, IReadOnlySet<ClusterId> SwitchedOver);

/// <summary>
/// Keeps the bridge from delivering for a cluster whose CMMO still uploads (koku-ingestion.md §7, gotcha 26): koku
/// replaces a day's data with whichever producer's payload claims more hours, so two producers make its days flap
/// between two data sources. Such a cluster is skipped (<see cref="SkipReasons.CmmoActive"/>, alerted) until no operator
/// payload is newer than the window, or until it is listed as switched over.
/// </summary>
public sealed partial class OperatorCoexistence(
    IClusterSource inner, IOperatorUploads uploads, CoexistenceOptions options, TimeProvider time, ILogger<OperatorCoexistence> logger) : IClusterSource
{
    public async Task<DiscoveryResult> DiscoverAsync(CancellationToken cancellationToken)
    {
        var found = await inner.DiscoverAsync(cancellationToken);
        if (found.Clusters.Count == 0)
        {
            return found;
        }

        var recent = await uploads.NewestSinceAsync(time.GetUtcNow() - options.Window, cancellationToken);
        var result = Apply(found, recent, options);
        foreach (var skipped in result.Skipped.Skip(found.Skipped.Count))
        {
            LogOperatorStillUploading(logger, skipped.ClusterId, skipped.Detail);
        }

        return result;
    }

    /// <summary>Moves every cluster with a recent operator payload, and not switched over, to the skipped ones.</summary>
    public static DiscoveryResult Apply(DiscoveryResult found, IReadOnlyDictionary<string, OperatorUpload> recent, CoexistenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(found);
        ArgumentNullException.ThrowIfNull(recent);
        ArgumentNullException.ThrowIfNull(options);
        var kept = new List<DiscoveredCluster>(found.Clusters.Count);
        var skipped = new List<SkippedCluster>(found.Skipped);
        var reported = new HashSet<ClusterId>();
        foreach (var cluster in found.Clusters)
        {
            if (options.SwitchedOver.Contains(cluster.ClusterId) || !recent.TryGetValue(cluster.ClusterId.Value, out var upload))
            {
                kept.Add(cluster);
            }
            else if (reported.Add(cluster.ClusterId))
            {
                // One skip per cluster, whatever the number of orgs its sources are in.
                var seen = string.Create(CultureInfo.InvariantCulture,
                    $"koku recorded a payload from {upload.OperatorVersion} at {upload.At.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}, within the last {options.Window.TotalHours:0.#} h");
                skipped.Add(new SkippedCluster(cluster.ClusterId.Value, SkipReasons.CmmoActive,
                    seen + " (THANOS_BRIDGE_CMMO_WINDOW_HOURS); two producers for one cluster make koku's days flap, so the bridge waits: " +
                    "disable the operator's upload, or list the cluster in THANOS_BRIDGE_SWITCHED_OVER_CLUSTERS"));
            }
        }

        return new DiscoveryResult(kept, skipped);
    }

    [LoggerMessage(EventId = 1030, EventName = "OperatorStillUploading", Level = LogLevel.Warning,
        Message = "cluster {ClusterId} is not delivered for (cmmo_active): {SkipDetail}")]
    private static partial void LogOperatorStillUploading(ILogger logger, string clusterId, string skipDetail);
}
