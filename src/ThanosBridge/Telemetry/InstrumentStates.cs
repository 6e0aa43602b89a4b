using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace ThanosBridge.Telemetry;

/// <summary>The aggregated measurements of one instrument, per label set (the rendered label string is the key).</summary>
internal abstract class InstrumentState(Instrument instrument)
{
    public Instrument Instrument { get; } = instrument;

    public string Name { get; } = PrometheusNaming.MetricName(instrument);

    public MetricKind Kind { get; } = PrometheusNaming.KindOf(instrument);

    public string Help { get; } = string.IsNullOrWhiteSpace(instrument.Description) ? instrument.Name : instrument.Description;

    protected Lock Gate { get; } = new();

    public static InstrumentState For(Instrument instrument)
    {
        var kind = PrometheusNaming.KindOf(instrument);
        var definition = instrument.GetType().GetGenericTypeDefinition();
        if (kind == MetricKind.Histogram)
        {
            return new HistogramState(instrument);
        }

        // Synchronous counters add up; observable instruments report their current value at each collection.
        return instrument.IsObservable || definition == typeof(Gauge<>)
            ? new LastValueState(instrument, clearEachCollection: instrument.IsObservable)
            : new SumState(instrument);
    }

    public abstract void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags);

    /// <summary>Called before observable instruments are asked for their values.</summary>
    public virtual void BeginCollection()
    {
    }

    /// <summary>The samples to write, keyed by label string.</summary>
    public abstract IReadOnlyDictionary<string, Sample> Snapshot();

    /// <summary><c>a="x",b="y"</c> with names sanitized and sorted, values escaped (empty for no tags).</summary>
    protected static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return "";
        }

        var pairs = new List<(string Name, string Value)>(tags.Length);
        foreach (var tag in tags)
        {
            pairs.Add((PrometheusNaming.Sanitize(tag.Key), Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? ""));
        }

        pairs.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        var text = new StringBuilder();
        foreach (var (name, value) in pairs)
        {
            if (text.Length > 0)
            {
                text.Append(',');
            }

            text.Append(name).Append("=\"").Append(PrometheusNaming.EscapeLabelValue(value)).Append('"');
        }

        return text.ToString();
    }
}

/// <summary>One label set's data: a value, or a histogram's cumulative buckets, sum and count.</summary>
internal sealed record Sample(double Value, IReadOnlyList<double>? Bounds = null, IReadOnlyList<long>? CumulativeCounts = null, long Count = 0)
{
    public Sample Merge(Sample other, MetricKind kind) => kind switch
    {
        MetricKind.Counter => this with { Value = Value + other.Value },
        MetricKind.Histogram when Bounds!.SequenceEqual(other.Bounds!) => new Sample(
            Value + other.Value, Bounds, [.. CumulativeCounts!.Zip(other.CumulativeCounts!, (a, b) => a + b)], Count + other.Count),
        _ => other,
    };
}

internal sealed class SumState(Instrument instrument) : InstrumentState(instrument)
{
    private readonly Dictionary<string, double> sums = new(StringComparer.Ordinal);

    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = Labels(tags);
        lock (Gate)
        {
            sums[labels] = sums.GetValueOrDefault(labels) + value;
        }
    }

    public override IReadOnlyDictionary<string, Sample> Snapshot()
    {
        lock (Gate)
        {
            return sums.ToDictionary(s => s.Key, s => new Sample(s.Value), StringComparer.Ordinal);
        }
    }
}

internal sealed class LastValueState(Instrument instrument, bool clearEachCollection) : InstrumentState(instrument)
{
    private readonly Dictionary<string, double> values = new(StringComparer.Ordinal);

    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = Labels(tags);
        lock (Gate)
        {
            values[labels] = value;
        }
    }

    public override void BeginCollection()
    {
        if (clearEachCollection)
        {
            // A label set the callback no longer reports (a cluster gone) disappears from the output.
            lock (Gate)
            {
                values.Clear();
            }
        }
    }

    public override IReadOnlyDictionary<string, Sample> Snapshot()
    {
        lock (Gate)
        {
            return values.ToDictionary(s => s.Key, s => new Sample(s.Value), StringComparer.Ordinal);
        }
    }
}

internal sealed class HistogramState(Instrument instrument) : InstrumentState(instrument)
{
    private readonly double[] bounds = [.. PrometheusNaming.BucketsOf(instrument)];
    private readonly Dictionary<string, Point> points = new(StringComparer.Ordinal);

    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = Labels(tags);
        lock (Gate)
        {
            if (!points.TryGetValue(labels, out var point))
            {
                point = new Point(new long[bounds.Length]);
                points[labels] = point;
            }

            // Buckets are "less than or equal"; a value above every bound counts only in +Inf (= Count).
            var index = Array.BinarySearch(bounds, value);
            if (index < 0)
            {
                index = ~index;
            }

            if (index < bounds.Length)
            {
                point.Counts[index]++;
            }

            point.Sum += value;
            point.Count++;
        }
    }

    public override IReadOnlyDictionary<string, Sample> Snapshot()
    {
        lock (Gate)
        {
            return points.ToDictionary(p => p.Key, p => new Sample(p.Value.Sum, bounds, Cumulative(p.Value.Counts), p.Value.Count), StringComparer.Ordinal);
        }
    }

    private static long[] Cumulative(long[] counts)
    {
        var result = new long[counts.Length];
        long running = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            running += counts[i];
            result[i] = running;
        }

        return result;
    }

    private sealed class Point(long[] counts)
    {
        public long[] Counts { get; } = counts;

        public double Sum { get; set; }

        public long Count { get; set; }
    }
}
