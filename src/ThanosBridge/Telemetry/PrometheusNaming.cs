using System.Diagnostics.Metrics;
using System.Text;

namespace ThanosBridge.Telemetry;

/// <summary>
/// How an instrument of the bridge's meter is named and typed on /metrics:
/// <c>thanos_bridge_&lt;name&gt;</c>, then the unit (<c>_seconds</c> for "s", <c>_bytes</c> for "By"; a gauge in
/// seconds whose description says "Unix time" is a <c>_timestamp_seconds</c>), then <c>_total</c> for counters.
/// Annotation units such as <c>{run}</c> add nothing.
/// </summary>
public static class PrometheusNaming
{
    public const string Prefix = "thanos_bridge_";

    /// <summary>Buckets (seconds) of histograms in "s": 50 ms to 10 min.</summary>
    public static IReadOnlyList<double> DurationBuckets { get; } = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

    /// <summary>Buckets (bytes) of histograms in "By": 1 KiB to 256 MiB, by powers of 4.</summary>
    public static IReadOnlyList<double> SizeBuckets { get; } =
        [1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864, 268435456];

    /// <summary>Prometheus client libraries' default buckets, for histograms in any other unit.</summary>
    public static IReadOnlyList<double> DefaultBuckets { get; } = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>The exported metric family name of <paramref name="instrument"/> (histograms: without _bucket/_sum/_count).</summary>
    public static string MetricName(Instrument instrument)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        var kind = KindOf(instrument);
        var name = Prefix + Sanitize(instrument.Name);
        var unit = instrument.Unit switch
        {
            "s" when kind == MetricKind.Gauge && (instrument.Description ?? "").Contains("Unix time", StringComparison.OrdinalIgnoreCase) => "timestamp_seconds",
            "s" => "seconds",
            "By" => "bytes",
            _ => null,
        };
        if (unit is not null && !name.EndsWith("_" + unit, StringComparison.Ordinal))
        {
            name += "_" + unit;
        }

        if (kind == MetricKind.Counter && !name.EndsWith("_total", StringComparison.Ordinal))
        {
            name += "_total";
        }

        return name;
    }

    /// <summary>How the instrument is exported: counters and observable counters as counters, histograms as histograms, the rest as gauges.</summary>
    public static MetricKind KindOf(Instrument instrument)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        var type = instrument.GetType();
        var definition = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        if (definition == typeof(Counter<>) || definition == typeof(ObservableCounter<>))
        {
            return MetricKind.Counter;
        }

        return definition == typeof(Histogram<>) ? MetricKind.Histogram : MetricKind.Gauge;
    }

    /// <summary>The bucket upper bounds of a histogram: the instrument's advice if any, else by unit.</summary>
    public static IReadOnlyList<double> BucketsOf(Instrument instrument)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        IReadOnlyList<double>? advised = instrument switch
        {
            Histogram<double> h => h.Advice?.HistogramBucketBoundaries,
            Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToList(),
            Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToList(),
            _ => null,
        };
        return advised is { Count: > 0 }
            ? advised
            : instrument.Unit switch
            {
                "s" => DurationBuckets,
                "By" => SizeBuckets,
                _ => DefaultBuckets,
            };
    }

    /// <summary>[a-zA-Z0-9_] kept, anything else becomes '_'; a leading digit gets a '_' prefix.</summary>
    public static string Sanitize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var text = new StringBuilder(name.Length + 1);
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            text.Append('_');
        }

        foreach (var c in name)
        {
            text.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }

        return text.ToString();
    }
}

/// <summary>The Prometheus metric type an instrument is exported as.</summary>
public enum MetricKind
{
    Counter,
    Gauge,
    Histogram,
}
