using System.Diagnostics.Metrics;
using ThanosBridge.Core.Collection.Catalog;
using ThanosBridge.Core.Discovery;

namespace ThanosBridge.Core.Metrics;

/// <summary>
/// Every instrument of the bridge, created from the host's <see cref="IMeterFactory"/> on the meter
/// <see cref="MeterName"/>. The /metrics endpoint exports them in the Prometheus text format as
/// <c>thanos_bridge_&lt;name&gt;</c>; alerts and runbooks use those names. Labels have few values: never a URL, a key
/// or query text.
/// </summary>
public sealed class BridgeMetrics
{
    public const string MeterName = "ThanosBridge";

    private readonly Dictionary<ClusterId, long> lastDelivered = [];
    private readonly Dictionary<ClusterId, IReadOnlyDictionary<PodResourceFamily, PodResourceSource>> podResources = [];
    private readonly Lock gate = new();
    private long lastSuccessfulRun;
    private int discovered;
    private int unregistered;
    private Dictionary<string, int> skipped = new(StringComparer.Ordinal);
    private Dictionary<string, int> managedSkipped = RegistrationSkipReasons.All.ToDictionary(r => r, _ => 0, StringComparer.Ordinal);
    private int managedDisappeared;
    private Dictionary<(ClusterId Cluster, string Status), int> unconfirmed = [];
    private Dictionary<ClusterId, long> oldestUnconfirmed = [];

    public BridgeMetrics(IMeterFactory meterFactory, string version)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        Runs = meter.CreateCounter<long>("runs", "{run}", "Delivery runs by result (success, partial, failure).");
        RunDuration = meter.CreateHistogram<double>("run_duration", "s", "Duration of a delivery run.");
        ClusterRuns = meter.CreateCounter<long>("cluster_runs", "{run}", "Per-cluster delivery attempts by result (delivered, up_to_date, failed).");
        Queries = meter.CreateCounter<long>("queries", "{query}", "Thanos range queries by CMMO query name.");
        QueryFailures = meter.CreateCounter<long>("query_failures", "{query}", "Failed Thanos queries by query name and reason.");
        QueryDuration = meter.CreateHistogram<double>("query_duration", "s", "Duration of a Thanos range query, retries included.");
        EmptyQueries = meter.CreateCounter<long>("empty_query_results", "{query}",
            "Queries that returned no series, by query (a metric family missing on the hub; GPU and VM queries are empty on clusters without them).");
        Rows = meter.CreateCounter<long>("report_rows", "{row}", "CSV rows written by report.");
        Payloads = meter.CreateCounter<long>("payloads_published", "{payload}", "Payload publications by result (success, failure).");
        PayloadBytes = meter.CreateHistogram<long>("payload_size", "By", "Size of a published tar.gz part.");
        S3Failures = meter.CreateCounter<long>("s3_failures", "{failure}", "Failed S3 uploads or URL signings.");
        KafkaFailures = meter.CreateCounter<long>("kafka_failures", "{failure}", "Announcements the broker did not acknowledge.");

        Registrations = meter.CreateCounter<long>("cluster_registrations", "{cluster}",
            "ManagedClusters registered in koku by auto-registration, by result (registered, already_registered: koku answered that it has the cluster).");
        RegistrationFailures = meter.CreateCounter<long>("cluster_registration_failures", "{failure}",
            "Failed auto-registrations by reason: one per cluster koku refused or could not take, one per run that could not list or compare the clusters.");

        SnapshotsConfirmed = meter.CreateCounter<long>("snapshots_confirmed", "{snapshot}",
            "Published snapshots the confirmation check found completed in koku's manifest and status tables.");
        Reannouncements = meter.CreateCounter<long>("snapshot_reannouncements", "{announcement}",
            "Published snapshots announced again (same uuid, fresh URL) because koku had no manifest for them, by result (success, failure).");
        ConfirmationCheckFailures = meter.CreateCounter<long>("confirmation_check_failures", "{check}",
            "Confirmation checks that could not read koku's manifest tables or the ledger.");
        SnapshotsConfirmed.Add(0);
        ConfirmationCheckFailures.Add(0);
        foreach (var result in new[] { "success", "failure" })
        {
            Reannouncements.Add(0, new KeyValuePair<string, object?>("result", result));
        }

        meter.CreateObservableGauge("snapshots_unconfirmed", ObserveUnconfirmed, "{snapshot}",
            "Per cluster, published snapshots koku has not completed, by status as of the last confirmation check: awaiting and processing are pending; " +
            "download_failed, processing_failed, summary_failed, processing_stalled and never_recorded need a person.");
        meter.CreateObservableGauge("unconfirmed_snapshot_oldest_published", ObserveOldestUnconfirmed, "s",
            "Per cluster, the Unix time at which the oldest snapshot koku has not completed was published (its age is time() minus this).");

        // Failure counters exist from the start at 0, so that increase() sees the very first failure.
        S3Failures.Add(0);
        KafkaFailures.Add(0);
        foreach (var reason in RegistrationFailureReasons.All)
        {
            RegistrationFailures.Add(0, new KeyValuePair<string, object?>("reason", reason));
        }

        foreach (var result in new[] { "registered", "already_registered" })
        {
            Registrations.Add(0, new KeyValuePair<string, object?>("result", result));
        }

        meter.CreateObservableGauge("managed_clusters_skipped", () => ByReason(Volatile.Read(ref managedSkipped)), "{cluster}",
            "ManagedClusters the last auto-registration did not register, by reason (local_cluster, no_cluster_id, not_joined, ...).");
        meter.CreateObservableGauge("managed_clusters_disappeared", () => Volatile.Read(ref managedDisappeared), "{cluster}",
            "koku sources the bridge registered whose ManagedCluster is gone; kept in koku, never deleted.");
        meter.CreateObservableGauge("last_successful_run", () => Volatile.Read(ref lastSuccessfulRun), "s",
            "Unix time of the last run in which every cluster succeeded.");
        meter.CreateObservableGauge("clusters_discovered", () => Volatile.Read(ref discovered), "{cluster}", "Clusters registered in koku and delivered for.");
        meter.CreateObservableGauge("clusters_unregistered", () => Volatile.Read(ref unregistered), "{cluster}",
            "Clusters sending metrics to Thanos that are not registered in koku.");
        meter.CreateObservableGauge("clusters_skipped", () => ByReason(Volatile.Read(ref skipped)), "{cluster}", "Clusters registered in koku but not delivered for, by reason.");
        meter.CreateObservableGauge("cluster_last_delivered_hour", ObserveLastDelivered, "s",
            "Per cluster, the Unix time at which the last hour koku was told about ends.");
        meter.CreateObservableGauge("pod_resources_source", ObservePodResources, "{cluster}",
            "Per cluster and family (requests, limits): 1 for the series its last collection read (raw, recorded or missing), 0 for the others.");
        meter.CreateObservableGauge("build_info", () => new Measurement<int>(1, new KeyValuePair<string, object?>("version", version)), null,
            "Always 1; the version label says which build runs.");
    }

    public Counter<long> Runs { get; }

    public Histogram<double> RunDuration { get; }

    public Counter<long> ClusterRuns { get; }

    public Counter<long> Queries { get; }

    public Counter<long> QueryFailures { get; }

    public Histogram<double> QueryDuration { get; }

    public Counter<long> EmptyQueries { get; }

    public Counter<long> Rows { get; }

    public Counter<long> Payloads { get; }

    public Histogram<long> PayloadBytes { get; }

    public Counter<long> S3Failures { get; }

    public Counter<long> KafkaFailures { get; }

    public Counter<long> Registrations { get; }

    public Counter<long> RegistrationFailures { get; }

    public Counter<long> SnapshotsConfirmed { get; }

    public Counter<long> Reannouncements { get; }

    public Counter<long> ConfirmationCheckFailures { get; }

    /// <summary>
    /// What the last confirmation check found: per cluster, the unconfirmed snapshots by status (every pending and reported
    /// status reported for a cluster that has any, 0 when none), and when the oldest was published. A cluster without
    /// unconfirmed snapshots has no series.
    /// </summary>
    public void SetConfirmation(IEnumerable<(ClusterId Cluster, string Status, DateTimeOffset PublishedAt)> unconfirmedSnapshots, IEnumerable<string> statuses)
    {
        ArgumentNullException.ThrowIfNull(unconfirmedSnapshots);
        var list = unconfirmedSnapshots.ToList();
        var counts = new Dictionary<(ClusterId, string), int>();
        foreach (var cluster in list.Select(u => u.Cluster).Distinct())
        {
            foreach (var status in statuses)
            {
                counts[(cluster, status)] = 0;
            }
        }

        foreach (var u in list)
        {
            counts[(u.Cluster, u.Status)] = counts.GetValueOrDefault((u.Cluster, u.Status)) + 1;
        }

        var oldest = list.GroupBy(u => u.Cluster).ToDictionary(g => g.Key, g => g.Min(u => u.PublishedAt).ToUnixTimeSeconds());
        lock (gate)
        {
            unconfirmed = counts;
            oldestUnconfirmed = oldest;
        }
    }

    public void SetLastSuccessfulRun(DateTimeOffset at) => Volatile.Write(ref lastSuccessfulRun, at.ToUnixTimeSeconds());

    public void SetDiscovery(int discoveredCount, IReadOnlyDictionary<string, int> skippedByReason, int unregisteredCount)
    {
        Volatile.Write(ref discovered, discoveredCount);
        Volatile.Write(ref unregistered, unregisteredCount);
        Volatile.Write(ref skipped, new Dictionary<string, int>(skippedByReason, StringComparer.Ordinal));
    }

    /// <summary>
    /// What the last auto-registration saw: the ManagedClusters it skipped by reason (every reason reported, 0 when none),
    /// and the disappeared ones.
    /// </summary>
    public void SetRegistration(IReadOnlyDictionary<string, int> skippedByReason, int disappearedCount)
    {
        ArgumentNullException.ThrowIfNull(skippedByReason);
        Volatile.Write(ref managedDisappeared, disappearedCount);
        Volatile.Write(ref managedSkipped, RegistrationSkipReasons.All.Union(skippedByReason.Keys)
            .ToDictionary(r => r, r => skippedByReason.GetValueOrDefault(r), StringComparer.Ordinal));
    }

    /// <summary>Keeps the later hour: the ledger's view read during a run never takes back what a delivery set.</summary>
    public void SetLastDelivered(ClusterId clusterId, DateTimeOffset hourEnd)
    {
        lock (gate)
        {
            var seconds = hourEnd.ToUnixTimeSeconds();
            if (!lastDelivered.TryGetValue(clusterId, out var known) || known < seconds)
            {
                lastDelivered[clusterId] = seconds;
            }
        }
    }

    /// <summary>Which series a cluster's last collection read per family (PodResourceSupply).</summary>
    public void SetPodResources(ClusterId clusterId, IReadOnlyDictionary<PodResourceFamily, PodResourceSource> sources)
    {
        lock (gate)
        {
            podResources[clusterId] = sources;
        }
    }

    /// <summary>
    /// Forgets the freshness (and the pod resource sources) of clusters that are no longer delivered for (paused, deleted in koku), so that the
    /// staleness alert does not fire for a user's own choice.
    /// </summary>
    public void RetainLastDelivered(IReadOnlySet<ClusterId> clusters)
    {
        lock (gate)
        {
            foreach (var gone in lastDelivered.Keys.Where(k => !clusters.Contains(k)).ToList())
            {
                lastDelivered.Remove(gone);
            }

            foreach (var gone in podResources.Keys.Where(k => !clusters.Contains(k)).ToList())
            {
                podResources.Remove(gone);
            }
        }
    }

    private static IEnumerable<Measurement<int>> ByReason(Dictionary<string, int> counts) =>
        counts.Select(s => new Measurement<int>(s.Value, new KeyValuePair<string, object?>("reason", s.Key)));

    private List<Measurement<int>> ObservePodResources()
    {
        lock (gate)
        {
            return
            [
                .. from cluster in podResources
                   from family in cluster.Value
                   from source in Enum.GetValues<PodResourceSource>()
                   select new Measurement<int>(family.Value == source ? 1 : 0,
                       new KeyValuePair<string, object?>("cluster_id", cluster.Key.Value),
                       new KeyValuePair<string, object?>("family", PodResourceSupply.Label(family.Key)),
                       new KeyValuePair<string, object?>("source", PodResourceSupply.Label(source))),
            ];
        }
    }

    private List<Measurement<int>> ObserveUnconfirmed()
    {
        lock (gate)
        {
            return [.. unconfirmed.Select(u => new Measurement<int>(u.Value,
                new KeyValuePair<string, object?>("cluster_id", u.Key.Cluster.Value), new KeyValuePair<string, object?>("status", u.Key.Status)))];
        }
    }

    private List<Measurement<long>> ObserveOldestUnconfirmed()
    {
        lock (gate)
        {
            return [.. oldestUnconfirmed.Select(o => new Measurement<long>(o.Value, new KeyValuePair<string, object?>("cluster_id", o.Key.Value)))];
        }
    }

    private List<Measurement<long>> ObserveLastDelivered()
    {
        lock (gate)
        {
            return [.. lastDelivered.Select(d => new Measurement<long>(d.Value, new KeyValuePair<string, object?>("cluster_id", d.Key.Value)))];
        }
    }
}
