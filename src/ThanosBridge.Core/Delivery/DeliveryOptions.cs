using ThanosBridge.Core.Collection;

namespace ThanosBridge.Core.Delivery;

/// <summary>What to deliver and how; validated at start-up from THANOS_BRIDGE_* variables (docs/configuration.md).</summary>
public sealed record DeliveryOptions
{
    /// <summary>THANOS_BRIDGE_SETTLE_MINUTES: an hour is sent only once it ended at least this long ago.</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>THANOS_BRIDGE_BACKFILL_DAYS: how many days before today a run catches up.</summary>
    public int BackfillDays { get; init; } = 7;

    /// <summary>RETAIN_NUM_MONTHS (koku's name): koku drops payloads older than its retention, so none are built.</summary>
    public int KokuRetentionMonths { get; init; } = 4;

    /// <summary>THANOS_BRIDGE_STEP_SECONDS: range-query step of the cost queries (Bridge decision g).</summary>
    public TimeSpan Step { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// THANOS_BRIDGE_SAMPLE_SOURCE and THANOS_BRIDGE_COLLECTOR_INTERVAL_SECONDS: how the hub's samples were forwarded,
    /// which decides how the cost queries are evaluated (docs/accuracy.md).
    /// </summary>
    public Sampling Sampling { get; init; } = Sampling.AcmDefault;

    /// <summary>THANOS_BRIDGE_CLUSTER_LABEL: the label that carries the cluster id on the hub.</summary>
    public string ClusterLabel { get; init; } = "clusterID";

    /// <summary>THANOS_BRIDGE_ROS_ENABLED: whether the resource-optimization reports are built.</summary>
    public bool RosEnabled { get; init; } = true;

    /// <summary>THANOS_BRIDGE_MAX_PARALLEL_CLUSTERS.</summary>
    public int MaxParallelClusters { get; init; } = 4;

    /// <summary>THANOS_BRIDGE_MAX_PARALLEL_QUERIES: queries of one cluster in flight at once.</summary>
    public int MaxParallelQueries { get; init; } = 2;

    /// <summary>THANOS_BRIDGE_S3_PREFIX: object keys are &lt;prefix&gt;/&lt;cluster_id&gt;/&lt;YYYY-MM-DD&gt;/&lt;uuid&gt;.tar.gz.</summary>
    public string ObjectKeyPrefix { get; init; } = "thanos-bridge";

    /// <summary>CMMO's max_size_MB: a payload part larger than this is split (cmmo-output.md §4.3).</summary>
    public int MaxPayloadMegabytes { get; init; } = 100;
}
