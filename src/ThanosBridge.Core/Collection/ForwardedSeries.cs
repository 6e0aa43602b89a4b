using ThanosBridge.Core.Collection.Prometheus;

namespace ThanosBridge.Core.Collection;

/// <summary>
/// Turns range-query results over forwarded (hub) samples into the per-step points CMMO's arithmetic expects
/// (docs/accuracy.md). Pure: the caller passes the grid the query was evaluated on.
/// </summary>
public static class ForwardedSeries
{
    /// <summary>
    /// Gauges: re-times each point by <paramref name="shift"/> (it was evaluated that much later), fills holes of up to
    /// <paramref name="maxGap"/> with the value before them (the samples of lost collection cycles), and keeps the points
    /// in [<paramref name="from"/>, <paramref name="to"/>].
    /// </summary>
    public static QueryResult Gauge(QueryResult raw, TimeSpan shift, TimeSpan step, TimeSpan maxGap, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var output = new List<Series>(raw.Series.Count);
        foreach (var series in raw.Series)
        {
            if (Gauge(series, shift, step, maxGap, from, to) is { } conditioned)
            {
                output.Add(conditioned);
            }
        }

        return new QueryResult(output, raw.Warnings);
    }

    /// <summary>One series of <see cref="Gauge(QueryResult, TimeSpan, TimeSpan, TimeSpan, DateTimeOffset, DateTimeOffset)"/>; null when no point is left.</summary>
    public static Series? Gauge(Series series, TimeSpan shift, TimeSpan step, TimeSpan maxGap, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(series);
        var shiftMs = (long)shift.TotalMilliseconds;
        var stepMs = (long)step.TotalMilliseconds;
        var gapMs = (long)maxGap.TotalMilliseconds;
        var fromMs = from.ToUnixTimeMilliseconds();
        var toMs = to.ToUnixTimeMilliseconds();
        var points = new List<Sample>();
        Sample? previous = null;
        foreach (var sample in InTimeOrder(series.Samples))
        {
            var t = sample.TimestampMs - shiftMs;
            if (previous is { } p && t - p.TimestampMs > stepMs && t - p.TimestampMs - stepMs <= gapMs)
            {
                for (var fill = p.TimestampMs + stepMs; fill < t; fill += stepMs)
                {
                    Keep(points, new Sample(fill, p.Value), fromMs, toMs);
                }
            }

            var point = new Sample(t, sample.Value);
            Keep(points, point, fromMs, toMs);
            previous = point;
        }

        return points.Count > 0 ? new Series(series.Labels, points) : null;
    }

    /// <summary>
    /// Counters: integrates each series from its increases between samples and sums the series by the group labels,
    /// series by series as a response is read (each series is added to its group when it arrives and let go). The result
    /// holds, at each step a group is alive, the cores (or bytes) used per second during that step, so CMMO's Σ × step
    /// gives the counter's increase. Rules (docs/accuracy.md): an increase between two samples is spread evenly over the
    /// steps between them (across lost cycles too); a drop is a reset and the new value is the increase; a series that
    /// appears after the first step, while the cluster's other series were arriving, started at 0 about half an interval
    /// before its first sample (whether the hub was receiving needs the other series, so that part is added when the
    /// answer is complete); a series that ends inside the range ran on at its last rate for half an interval. The
    /// counters are evaluated with no shift on the grid start + k · step, k &lt; steps.
    /// </summary>
    public sealed class CounterIntegration : ISeriesSink
    {
        private readonly IReadOnlyList<string> groupBy;
        private readonly long startMs;
        private readonly long stepMs;
        private readonly int steps;
        private readonly int edgeSteps;
        private readonly long tailLimitMs;
        private readonly int gapSteps;
        private readonly int fromIndex;
        private readonly int toIndex;
        private readonly double seconds;
        private readonly Dictionary<LabelSet, Group> groups = [];
        private readonly List<(Group Group, int Step, double Value)> appeared = [];
        private bool[] present;

        public CounterIntegration(
            IReadOnlyList<string> groupBy, Sampling sampling, DateTimeOffset start, TimeSpan step, int steps, DateTimeOffset from, DateTimeOffset to)
        {
            ArgumentNullException.ThrowIfNull(groupBy);
            ArgumentNullException.ThrowIfNull(sampling);
            this.groupBy = groupBy;
            this.steps = steps;
            startMs = start.ToUnixTimeMilliseconds();
            stepMs = (long)step.TotalMilliseconds;
            edgeSteps = (int)Math.Ceiling(sampling.Shift.TotalMilliseconds / stepMs);
            tailLimitMs = (long)(sampling.Lookback.GetValueOrDefault(sampling.Interval) + (sampling.Interval / 2)).TotalMilliseconds;
            gapSteps = (int)(sampling.MaxFilledGap.TotalMilliseconds / stepMs);
            fromIndex = (int)Math.Max(0, (from.ToUnixTimeMilliseconds() - startMs) / stepMs);
            toIndex = (int)Math.Min(steps - 1, (to.ToUnixTimeMilliseconds() - startMs) / stepMs);
            seconds = step.TotalSeconds;
            present = new bool[steps];
        }

        public void Restart()
        {
            groups.Clear();
            appeared.Clear();
            present = new bool[steps];
        }

        public void Add(Series series)
        {
            ArgumentNullException.ThrowIfNull(series);
            var labels = new LabelSet(groupBy.Select(name => KeyValuePair.Create(name, series.Labels[name])));
            if (!groups.TryGetValue(labels, out var group))
            {
                group = new Group(steps);
                groups[labels] = group;
            }

            Integrate(series, group);
        }

        /// <summary>The groups' per-step rates over [from, to], in Prometheus's series order.</summary>
        public QueryResult Result()
        {
            var receiving = Receiving();
            foreach (var (group, k, value) in appeared)
            {
                if (receiving[k])
                {
                    // A series that appears inside the range while the hub was receiving this cluster's counters is a
                    // new container: its counter counts from 0. One that appears after an outage or when the cluster's
                    // data begins has counted for an unknown time before, so only its later increases count.
                    Spread(group, Math.Max(0, k - edgeSteps), k, value / edgeSteps);
                }
            }

            var output = new List<Series>(groups.Count);
            foreach (var (labels, group) in groups.OrderBy(g => g.Key, LabelSet.PrometheusOrder))
            {
                var points = new List<Sample>();
                for (var k = fromIndex; k <= toIndex; k++)
                {
                    if (group.Alive[k])
                    {
                        points.Add(new Sample(startMs + (k * stepMs), group.Increase[k] / seconds));
                    }
                }

                if (points.Count > 0)
                {
                    output.Add(new Series(labels, points));
                }
            }

            return new QueryResult(output, []);
        }

        private void Integrate(Series series, Group group)
        {
            int? first = null;
            var last = -1;
            var changeIndex = -1;
            var changeValue = 0.0;
            var previousChange = -1;
            var lastRate = 0.0;
            foreach (var sample in InTimeOrder(series.Samples))
            {
                var offset = sample.TimestampMs - startMs;
                if (offset < 0 || offset % stepMs != 0 || offset / stepMs >= steps)
                {
                    continue;
                }

                var k = (int)(offset / stepMs);
                present[k] = true;
                if (double.IsNaN(sample.Value))
                {
                    continue;
                }

                group.Alive[k] = true;
                last = k;
                if (first is null)
                {
                    first = k;
                    if (k > 0)
                    {
                        appeared.Add((group, k, sample.Value));
                    }

                    changeIndex = k;
                    changeValue = sample.Value;
                    continue;
                }

                if (sample.Value == changeValue)
                {
                    continue;
                }

                var increase = sample.Value >= changeValue ? sample.Value - changeValue : sample.Value;
                lastRate = increase / (k - changeIndex);
                Spread(group, changeIndex, k, lastRate);
                previousChange = changeIndex;
                changeIndex = k;
                changeValue = sample.Value;
            }

            // A series that ended inside the range: its last sample came at most an interval before the end of its life.
            if (last >= 0 && last < steps - 1 && previousChange >= 0 && (last - changeIndex) * stepMs < tailLimitMs)
            {
                Spread(group, changeIndex, Math.Min(steps, changeIndex + edgeSteps), lastRate);
            }
        }

        /// <summary>
        /// For each step, whether any series had a point within gapSteps steps before it: the hub was receiving the
        /// cluster's data then, so a series first seen at that step had not been there unseen.
        /// </summary>
        private bool[] Receiving()
        {
            var receiving = new bool[steps];
            var lastPresent = int.MinValue / 2;
            for (var k = 0; k < steps; k++)
            {
                receiving[k] = k - lastPresent <= gapSteps;
                if (present[k])
                {
                    lastPresent = k;
                }
            }

            return receiving;
        }
    }

    /// <summary>Adds <paramref name="perStep"/> to the steps [from, to) and marks them alive (a step that used nothing is not).</summary>
    private static void Spread(Group group, int from, int to, double perStep)
    {
        if (perStep == 0)
        {
            return;
        }

        for (var k = from; k < to; k++)
        {
            group.Increase[k] += perStep;
            group.Alive[k] = true;
        }
    }

    private static void Keep(List<Sample> points, Sample point, long fromMs, long toMs)
    {
        if (point.TimestampMs >= fromMs && point.TimestampMs <= toMs)
        {
            points.Add(point);
        }
    }

    /// <summary>Range-query series come in time order; a recorded file edited by hand might not.</summary>
    private static IReadOnlyList<Sample> InTimeOrder(IReadOnlyList<Sample> samples)
    {
        for (var i = 1; i < samples.Count; i++)
        {
            if (samples[i].TimestampMs < samples[i - 1].TimestampMs)
            {
                return [.. samples.OrderBy(s => s.TimestampMs)];
            }
        }

        return samples;
    }

    private sealed class Group(int steps)
    {
        public double[] Increase { get; } = new double[steps];

        public bool[] Alive { get; } = new bool[steps];
    }
}
