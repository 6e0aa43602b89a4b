using System.Globalization;

namespace ThanosBridge.Core.Packaging;

/// <summary>
/// What the caller knows about the collection that CMMO would report in its CR status. Everything else in
/// <c>cr_status</c> is fixed or derived from the payload (see <see cref="CrStatus"/>).
/// </summary>
public sealed record CrStatusInputs
{
    /// <summary>The cluster's update channel (e.g. <c>stable-4.18</c>); koku stores it as <c>cluster_channel</c>. Omitted when null.</summary>
    public string? ClusterChannel { get; init; }

    /// <summary>The bridge's build commit or version; omitted when null.</summary>
    public string? OperatorCommit { get; init; }

    /// <summary>Minutes between intra-day payloads (CMMO default 360).</summary>
    public int UploadCycleMinutes { get; init; } = 360;

    /// <summary>Query timeout in seconds (CMMO default 120).</summary>
    public int ContextTimeoutSeconds { get; init; } = 120;

    /// <summary>When the last query run started; <c>null</c> when unknown.</summary>
    public DateTimeOffset? LastQueryStartTime { get; init; }

    /// <summary>When the last query run succeeded; <c>null</c> when unknown.</summary>
    public DateTimeOffset? LastQuerySuccessTime { get; init; }
}

/// <summary>
/// The <c>cr_status</c> object of the manifest (cmmo-output.md §4.5, §4.6), shaped so that koku records the source as
/// connected and not air-gapped (<c>upload.upload: true</c>) with no operator errors. It carries no URL, token or
/// secret: only the values below and constants.
/// </summary>
public sealed record CrStatus
{
    /// <summary>CMMO's default <c>max_reports_to_store</c>.</summary>
    public const int MaxReportsToStore = 30;

    /// <summary>CMMO's default source <c>check_cycle</c> in minutes.</summary>
    public const int SourceCheckCycleMinutes = 1440;

    public required string ClusterId { get; init; }

    public string? ClusterChannel { get; init; }

    public string? OperatorCommit { get; init; }

    /// <summary>Written as <c>packaging.last_successful_packaging_time</c> (seconds).</summary>
    public required DateTimeOffset PackagingTime { get; init; }

    public required int MaxSizeMegabytes { get; init; }

    public int UploadCycleMinutes { get; init; } = 360;

    public int ContextTimeoutSeconds { get; init; } = 120;

    public DateTimeOffset? LastQueryStartTime { get; init; }

    public DateTimeOffset? LastQuerySuccessTime { get; init; }

    /// <summary>Start (<c>HH:00:00</c>) of the last hour in the payload; gives <c>report_month</c> and <c>last_hour_queried</c>.</summary>
    public required DateTimeOffset LastHourQueried { get; init; }

    internal void WriteTo(GoJsonWriter json)
    {
        var hourStart = LastHourQueried.UtcDateTime;
        var hourEnd = hourStart.AddMinutes(59).AddSeconds(59);

        json.BeginObject();
        json.Name("clusterID").String(ClusterId);
        if (!string.IsNullOrEmpty(ClusterChannel))
        {
            json.Name("clusterVersion").String(ClusterChannel);
        }

        json.Name("authentication").BeginObject()
            .Name("type").String("service-account")
            .Name("credentials_found").Bool(true)
            .EndObject();

        json.Name("packaging").BeginObject()
            .Name("last_successful_packaging_time").MetaTime(PackagingTime)
            .Name("max_reports_to_store").Number(MaxReportsToStore)
            .Name("max_size_MB").Number(MaxSizeMegabytes)
            .EndObject();

        json.Name("upload").BeginObject()
            .Name("upload").Bool(true)
            .Name("upload_cycle").Number(UploadCycleMinutes)
            .Name("last_successful_upload_time").MetaTime(null)
            .Name("validate_cert").Bool(true)
            .EndObject();

        if (!string.IsNullOrEmpty(OperatorCommit))
        {
            json.Name("operator_commit").String(OperatorCommit);
        }

        json.Name("prometheus").BeginObject()
            .Name("prometheus_configured").Bool(true)
            .Name("prometheus_connected").Bool(true)
            .Name("context_timeout").Number(ContextTimeoutSeconds)
            .Name("last_query_start_time").MetaTime(LastQueryStartTime)
            .Name("last_query_success_time").MetaTime(LastQuerySuccessTime)
            .Name("disabled_metrics_collection_cost_management").Bool(false)
            .Name("disabled_metrics_collection_resource_optimization").Bool(false)
            .EndObject();

        json.Name("reports").BeginObject()
            .Name("report_month").String(hourStart.ToString("MM", CultureInfo.InvariantCulture))
            .Name("last_hour_queried").String(string.Create(CultureInfo.InvariantCulture, $"{hourStart:yyyy-MM-dd HH:mm:ss} - {hourEnd:yyyy-MM-dd HH:mm:ss}"))
            .Name("data_collected").Bool(true)
            .EndObject();

        json.Name("source").BeginObject()
            .Name("source_defined").Bool(true)
            .Name("create_source").Bool(false)
            .Name("last_check_time").MetaTime(null)
            .Name("check_cycle").Number(SourceCheckCycleMinutes)
            .EndObject();

        json.Name("storage").BeginObject().EndObject();
        json.EndObject();
    }
}
