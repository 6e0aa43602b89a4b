using ThanosBridge.Core.Collection.Catalog;
using ThanosBridge.Core.Collection.Prometheus;

namespace ThanosBridge.Core.Reports;

/// <summary>
/// What CMMO's value methods (cmmo-output.md §1.4) need of a series' samples in one hour, accumulated in response order
/// with CMMO's float64 arithmetic: Σ, Go's math.Max and math.Min, the count and the last value. Keeping this instead of
/// the samples bounds memory by series × hours, not by points.
/// </summary>
public readonly record struct SampleSummary(double Sum, double Max, double Min, int Count, double Last)
{
    public static SampleSummary Empty => default;

    /// <summary>The summary with one more sample, in response order.</summary>
    public SampleSummary Add(double value) => Count == 0
        ? new SampleSummary(0.0 + value, value, value, 1, value)   // 0.0 + x as CMMO's Σ starts: −0 becomes +0
        : new SampleSummary(Sum + value, GoMax(Max, value), GoMin(Min, value), Count + 1, value);

    public static SampleSummary Of(IEnumerable<Sample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var summary = Empty;
        foreach (var sample in samples)
        {
            summary = summary.Add(sample.Value);
        }

        return summary;
    }

    /// <summary>
    /// §1.4 with Bridge decision g: the value and its seconds form with the configured step (Σ × step for sum,
    /// max × step × n for max; instant values as they are).
    /// </summary>
    public (double Value, double Seconds) Evaluate(ValueMethod method, TimeSpan step)
    {
        var stepSeconds = step.TotalSeconds;
        return method switch
        {
            ValueMethod.Sum => (Sum, Sum * stepSeconds),
            ValueMethod.Max => Count == 0 ? (0, 0) : (Max, Max * stepSeconds * Count),
            ValueMethod.Min => Count == 0 ? (0, 0) : (Min, Min * stepSeconds),
            ValueMethod.Avg => Count == 0 ? (0, 0) : (Sum / Count, Sum / Count * stepSeconds),
            ValueMethod.Instant => Count == 0 ? (0, 0) : (Last, Last),
            _ => (0, 0),
        };
    }

    /// <summary>Go's math.Max: +Inf beats everything, then NaN wins.</summary>
    private static double GoMax(double x, double y)
    {
        if (double.IsPositiveInfinity(x) || double.IsPositiveInfinity(y))
        {
            return double.PositiveInfinity;
        }

        if (double.IsNaN(x) || double.IsNaN(y))
        {
            return double.NaN;
        }

        return x > y ? x : y;
    }

    /// <summary>Go's math.Min: −Inf beats everything, then NaN wins.</summary>
    private static double GoMin(double x, double y)
    {
        if (double.IsNegativeInfinity(x) || double.IsNegativeInfinity(y))
        {
            return double.NegativeInfinity;
        }

        if (double.IsNaN(x) || double.IsNaN(y))
        {
            return double.NaN;
        }

        return x < y ? x : y;
    }
}

/// <summary>One series of a cost query reduced to one <see cref="SampleSummary"/> per hour it has samples in.</summary>
public sealed class HourlySeries
{
    private HourlySeries(LabelSet labels, IReadOnlyList<KeyValuePair<long, SampleSummary>> hours)
    {
        Labels = labels;
        Hours = hours;
    }

    public LabelSet Labels { get; }

    /// <summary>Hour start (Unix ms) → summary, in time order.</summary>
    public IReadOnlyList<KeyValuePair<long, SampleSummary>> Hours { get; }

    /// <summary>Reduces a matrix to hourly summaries, keeping the response order of series and samples.</summary>
    public static IReadOnlyList<HourlySeries> From(QueryResult result, QueryDefinition? query = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var output = new HourlySeries[result.Series.Count];
        for (var i = 0; i < output.Length; i++)
        {
            output[i] = query is null ? Of(result.Series[i]) : For(query, result.Series[i]);
        }

        return output;
    }

    /// <summary>One series reduced to full hourly summaries, keeping the response order of its samples.</summary>
    public static HourlySeries Of(Series series)
    {
        ArgumentNullException.ThrowIfNull(series);
        return new HourlySeries(series.Labels, ByHour(series.Samples));
    }

    /// <summary>
    /// One series of <paramref name="query"/>'s answer reduced to what its rows read per hour: the count and the one number
    /// its value method evaluates (the count alone for a labels-only query), a third of a full summary, since thousands
    /// of series per query are kept until their report is built. These summaries answer only
    /// <see cref="SampleSummary.Evaluate"/> with the query's method.
    /// </summary>
    public static HourlySeries For(QueryDefinition query, Series series)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(series);
        return new HourlySeries(series.Labels, new Projected(ByHour(series.Samples), query.Value?.Method));
    }

    public static long HourOf(long timestampMs) => timestampMs - (((timestampMs % 3_600_000) + 3_600_000) % 3_600_000);

    /// <summary>Samples grouped by hour; an hour's summary keeps the samples' response order even when hours interleave.</summary>
    private static KeyValuePair<long, SampleSummary>[] ByHour(IReadOnlyList<Sample> samples)
    {
        var hours = new List<KeyValuePair<long, SampleSummary>>();
        foreach (var sample in samples)
        {
            var hour = HourOf(sample.TimestampMs);
            var index = hours.Count > 0 && hours[^1].Key == hour ? hours.Count - 1 : hours.FindIndex(h => h.Key == hour);
            if (index < 0)
            {
                hours.Add(new(hour, SampleSummary.Empty.Add(sample.Value)));
            }
            else
            {
                hours[index] = new(hour, hours[index].Value.Add(sample.Value));
            }
        }

        hours.Sort((a, b) => a.Key.CompareTo(b.Key));
        return [.. hours];   // exact size: kept until the report is built, for thousands of series per query
    }

    /// <summary>
    /// Hourly summaries that keep, per hour, the hour, the count and the one number a value method reads (16 bytes instead
    /// of 48); read back as summaries whose other fields are zero. No method (a labels-only query): the count alone.
    /// </summary>
    private sealed class Projected : IReadOnlyList<KeyValuePair<long, SampleSummary>>
    {
        private readonly (int Hour, int Count, double Value)[] hours;
        private readonly ValueMethod? method;

        public Projected(KeyValuePair<long, SampleSummary>[] full, ValueMethod? method)
        {
            this.method = method;
            hours = new (int, int, double)[full.Length];
            for (var i = 0; i < full.Length; i++)
            {
                var (key, s) = full[i];
                var value = method switch
                {
                    ValueMethod.Sum or ValueMethod.Avg => s.Sum,
                    ValueMethod.Max => s.Max,
                    ValueMethod.Min => s.Min,
                    ValueMethod.Instant => s.Last,
                    _ => 0,
                };
                hours[i] = ((int)(key / 3_600_000), s.Count, value);
            }
        }

        public int Count => hours.Length;

        public KeyValuePair<long, SampleSummary> this[int index]
        {
            get
            {
                var (hour, count, value) = hours[index];
                var summary = method switch
                {
                    ValueMethod.Sum or ValueMethod.Avg => new SampleSummary(value, 0, 0, count, 0),
                    ValueMethod.Max => new SampleSummary(0, value, 0, count, 0),
                    ValueMethod.Min => new SampleSummary(0, 0, value, count, 0),
                    ValueMethod.Instant => new SampleSummary(0, 0, 0, count, value),
                    _ => new SampleSummary(0, 0, 0, count, 0),
                };
                return new(hour * 3_600_000L, summary);
            }
        }

        public IEnumerator<KeyValuePair<long, SampleSummary>> GetEnumerator()
        {
            for (var i = 0; i < hours.Length; i++)
            {
                yield return this[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
