using ThanosBridge.Core.Collection.Catalog;
using ThanosBridge.Core.Collection.Prometheus;
using ThanosBridge.Core.Csv;

namespace ThanosBridge.Core.Reports;

/// <summary>
/// Hands out each query's series hour by hour (cost, as summaries) or instant by instant (ROS), in response order of the
/// series. Hours and instants are asked for in ascending order, so a cursor per series replaces an index: nothing of
/// the inputs is copied, which matters for a cluster-day of thousands of pods.
/// </summary>
internal sealed class HourSlices(IReadOnlyDictionary<string, QueryResult> results, IReadOnlyDictionary<string, IReadOnlyList<HourlySeries>> hourly)
{
    private readonly Dictionary<string, (IReadOnlyList<HourlySeries> Series, int[] Next)> byHour = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (IReadOnlyList<Series> Series, int[] Next)> byInstant = new(StringComparer.Ordinal);

    /// <summary>The rows of a query set's cost queries in <paramref name="hour"/>.</summary>
    public RowMap Collect(QuerySet set, DateTimeOffset hour, TimeSpan step)
    {
        var map = new RowMap();
        foreach (var query in QueryCatalog.Of(set))
        {
            foreach (var (labels, summary) in InHour(query.Name, hour))
            {
                map.Apply(query, labels, summary, step);
            }
        }

        return map;
    }

    /// <summary>The rows of a query set's ROS queries at the instant <paramref name="at"/>.</summary>
    public RowMap CollectInstant(QuerySet set, DateTimeOffset at)
    {
        var map = new RowMap();
        foreach (var query in QueryCatalog.Of(set))
        {
            foreach (var (labels, sample) in AtInstant(query.Name, at))
            {
                map.Apply(query, labels, [sample], TimeSpan.Zero);
            }
        }

        return map;
    }

    private List<(LabelSet Labels, SampleSummary Summary)> InHour(string query, DateTimeOffset hour)
    {
        if (!byHour.TryGetValue(query, out var cursor))
        {
            var series = hourly.TryGetValue(query, out var reduced) ? reduced : HourlySeries.From(Result(query));
            cursor = (series, new int[series.Count]);
            byHour[query] = cursor;
        }

        var key = hour.ToUnixTimeMilliseconds();
        var found = new List<(LabelSet, SampleSummary)>();
        for (var i = 0; i < cursor.Series.Count; i++)
        {
            var hours = cursor.Series[i].Hours;
            ref var next = ref cursor.Next[i];
            while (next < hours.Count && hours[next].Key < key)
            {
                next++;
            }

            if (next < hours.Count && hours[next].Key == key)
            {
                found.Add((cursor.Series[i].Labels, hours[next].Value));
            }
        }

        return found;
    }

    public List<(LabelSet Labels, Sample Sample)> AtInstant(string query, DateTimeOffset at)
    {
        if (!byInstant.TryGetValue(query, out var cursor))
        {
            // Prometheus returns samples in time order; a series that is not (a hand-made input) is put in order once.
            var series = Result(query).Series
                .Select(s => IsInTimeOrder(s.Samples) ? s : s with { Samples = [.. s.Samples.OrderBy(p => p.TimestampMs)] })
                .ToList();
            cursor = (series, new int[series.Count]);
            byInstant[query] = cursor;
        }

        var key = at.ToUnixTimeMilliseconds();
        var found = new List<(LabelSet, Sample)>();
        for (var i = 0; i < cursor.Series.Count; i++)
        {
            var samples = cursor.Series[i].Samples;
            ref var next = ref cursor.Next[i];
            while (next < samples.Count && samples[next].TimestampMs < key)
            {
                next++;
            }

            // Several samples at one instant (not from Prometheus) are all handed out, in response order, as an index did.
            for (var j = next; j < samples.Count && samples[j].TimestampMs == key; j++)
            {
                found.Add((cursor.Series[i].Labels, samples[j]));
            }
        }

        return found;
    }

    private static bool IsInTimeOrder(IReadOnlyList<Sample> samples)
    {
        for (var i = 1; i < samples.Count; i++)
        {
            if (samples[i].TimestampMs < samples[i - 1].TimestampMs)
            {
                return false;
            }
        }

        return true;
    }

    private QueryResult Result(string query) => results.TryGetValue(query, out var result) ? result : QueryResult.Empty;
}
