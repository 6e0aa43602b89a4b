using System.Globalization;
using System.Text.RegularExpressions;
using ThanosBridge.Core.Collection;
using ThanosBridge.Core.Collection.Promql;
using ThanosBridge.Core.Confirmation;
using ThanosBridge.Core.Delivery;
using ThanosBridge.Core.Discovery;
using V = ThanosBridge.Configuration.BridgeVariables;

namespace ThanosBridge.Configuration;

/// <summary>Reads what to deliver and how to sample (THANOS_BRIDGE_STEP_SECONDS to _PRESIGN_EXPIRY_HOURS, RETAIN_NUM_MONTHS) and parses THANOS_BRIDGE_CLUSTERS.</summary>
internal static partial class DeliverySettingsReader
{
    public static DeliveryOptions Read(VariableReader reader, out CronSchedule? schedule, out TimeSpan presignExpiry)
    {
        var sampling = ReadSampling(reader);
        var step = reader.Int(V.StepSeconds, (int)sampling.DefaultStep.TotalSeconds, QueryStep.MinSeconds, QueryStep.MaxSeconds, QueryStep.Problem);
        var label = reader.Text(V.ClusterLabel, "clusterID");
        if (!LabelName().IsMatch(label))
        {
            reader.Fail(V.ClusterLabel, $"{VariableReader.Quote(label)} is not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)");
        }
        else if (label.StartsWith("__", StringComparison.Ordinal))
        {
            reader.Fail(V.ClusterLabel, $"{VariableReader.Quote(label)} is reserved: label names starting with __ are internal to Prometheus");
        }

        var ros = reader.Bool(V.RosEnabled, defaultValue: true);
        var settle = reader.Int(V.SettleMinutes, 15, 0, 1440);
        var backfill = reader.Int(V.BackfillDays, 7, 0, 90);
        var retain = reader.Int(V.RetainNumMonths, 4, 1, 120);

        var cron = reader.Text(V.Schedule, BridgeSettings.DefaultSchedule);
        schedule = null;
        try
        {
            schedule = CronSchedule.Parse(cron);
            if (reader.IsSet(V.Schedule))
            {
                reader.Describe(V.Schedule, $"{cron} (Quartz: {schedule.Quartz})", isDefault: false);
            }
            else
            {
                reader.Describe(V.Schedule, cron, isDefault: true);
            }
        }
        catch (FormatException e)
        {
            reader.Fail(V.Schedule, $"{VariableReader.Quote(cron)} is not a 5-field Unix cron expression: {e.Message}");
        }

        var parallel = reader.Int(V.MaxParallelClusters, 4, 1, 64);
        var parallelQueries = reader.Int(V.MaxParallelQueries, 2, 1, 16);
        var prefix = reader.Text(V.S3Prefix, "thanos-bridge");
        if (!ObjectKeyPrefix().IsMatch(prefix))
        {
            reader.Fail(V.S3Prefix, $"{VariableReader.Quote(prefix)} is not a key prefix: segments of A-Z, a-z, 0-9, '.', '_' and '-' separated by single '/', no '/' at either end");
        }

        var maxPayload = reader.Int(V.MaxPayloadMb, 100, 1, 100);
        presignExpiry = TimeSpan.FromHours(reader.Int(V.PresignExpiryHours, 48, 1, 168));
        return new DeliveryOptions
        {
            Settle = TimeSpan.FromMinutes(settle),
            BackfillDays = backfill,
            KokuRetentionMonths = retain,
            Step = TimeSpan.FromSeconds(step),
            ClusterLabel = label,
            Sampling = sampling,
            RosEnabled = ros,
            MaxParallelClusters = parallel,
            MaxParallelQueries = parallelQueries,
            ObjectKeyPrefix = prefix,
            MaxPayloadMegabytes = maxPayload,
        };
    }

    /// <summary>How the hub's samples were forwarded (docs/accuracy.md); ACM's metrics-collector every 300 s by default.</summary>
    private static Sampling ReadSampling(VariableReader reader)
    {
        var names = Enum.GetValues<SampleSource>().Select(Sampling.Name).ToList();
        var chosen = reader.IsSet(V.SampleSource) ? reader.OneOf(V.SampleSource, names) : null;
        if (!reader.IsSet(V.SampleSource))
        {
            reader.Describe(V.SampleSource, Sampling.Name(SampleSource.MetricsCollector), isDefault: true);
        }

        var source = chosen is not null && Sampling.TryParse(chosen, out var parsed) ? parsed : SampleSource.MetricsCollector;
        var interval = reader.Int(V.CollectorIntervalSeconds, (int)Sampling.AcmDefault.Interval.TotalSeconds, 10, 3600);
        return new Sampling(source, TimeSpan.FromSeconds(interval));
    }

    /// <summary>
    /// THANOS_BRIDGE_CONFIRMATION_THRESHOLD_MINUTES (0: a snapshot koku has no manifest for is announced again by the next
    /// run) and THANOS_BRIDGE_MAX_REANNOUNCEMENTS (0: never announced again, only reported).
    /// </summary>
    public static ConfirmationOptions ReadConfirmation(VariableReader reader)
    {
        var threshold = reader.Int(V.ConfirmationThresholdMinutes, (int)ConfirmationOptions.Default.Threshold.TotalMinutes, 0, 10080);
        var max = reader.Int(V.MaxReannouncements, ConfirmationOptions.Default.MaxReannouncements, 0, 100);
        return new ConfirmationOptions(TimeSpan.FromMinutes(threshold), max);
    }

    /// <summary>THANOS_BRIDGE_CMMO_WINDOW_HOURS (0: no check) and THANOS_BRIDGE_SWITCHED_OVER_CLUSTERS (comma-separated ids).</summary>
    public static CoexistenceOptions ReadCoexistence(VariableReader reader)
    {
        var window = reader.Int(V.CmmoWindowHours, 24, 0, 720);
        var switchedOver = new HashSet<ClusterId>();
        foreach (var text in (reader.Text(V.SwitchedOverClusters) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (ClusterId.TryParse(text, out var id, out var reason))
            {
                switchedOver.Add(id);
            }
            else
            {
                reader.Fail(V.SwitchedOverClusters, $"cluster id {VariableReader.Quote(text)} is invalid: {reason}");
            }
        }

        return new CoexistenceOptions(TimeSpan.FromHours(window), switchedOver);
    }

    public static List<DiscoveredCluster> ParseClusters(VariableReader reader, string? raw)
    {
        var clusters = new List<DiscoveredCluster>();
        if (raw is null)
        {
            return clusters;
        }

        foreach (var item in raw.Split(','))
        {
            var entry = item.Trim();
            var eq = entry.IndexOf('=', StringComparison.Ordinal);
            string? problem = null;
            if (eq <= 0 || eq == entry.Length - 1)
            {
                problem = $"entry {VariableReader.Quote(entry)} is not id=org (list clusters as id=org[,id=org...])";
            }
            else
            {
                var idText = entry[..eq].Trim();
                var org = entry[(eq + 1)..].Trim();
                if (!ClusterId.TryParse(idText, out var id, out var reason))
                {
                    problem = $"cluster id {VariableReader.Quote(idText)} is invalid: {reason}";
                }
                else if (!OrgId().IsMatch(org))
                {
                    problem = $"org id {VariableReader.Quote(org)} of cluster {id} is invalid: 1-64 characters from A-Z, a-z, 0-9, '.', '_' and '-'";
                }
                else if (clusters.Any(c => c.ClusterId == id && c.OrgId == org))
                {
                    problem = $"entry {VariableReader.Quote(entry)} is listed twice";
                }
                else
                {
                    clusters.Add(new DiscoveredCluster(id, org));
                }
            }

            if (problem is not null)
            {
                reader.Fail(V.Clusters, problem);
                return [];
            }
        }

        return clusters;
    }

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();

    [GeneratedRegex("^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$")]
    private static partial Regex ObjectKeyPrefix();

    /// <summary>A koku org id as the bridge accepts it: 1-64 of A-Z a-z 0-9 . _ - (THANOS_BRIDGE_CLUSTERS, THANOS_BRIDGE_KOKU_ORG_ID).</summary>
    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    internal static partial Regex OrgId();
}
