using System.Text.RegularExpressions;
using ThanosBridge.Core.Collection.Catalog;
using ThanosBridge.Core.Collection.Prometheus;
using ThanosBridge.Core.Csv;

namespace ThanosBridge.Core.Reports;

/// <summary>
/// CMMO's "query result map" (cmmo-output.md §1.5): row key → field → text. Several queries write into one map;
/// later series and later queries overwrite earlier fields (last writer wins; nothing is summed).
/// </summary>
internal sealed class RowMap
{
    private static readonly Dictionary<string, Regex> Patterns = new(StringComparer.Ordinal);
    private static readonly Lock PatternsGate = new();

    private readonly Dictionary<string, Dictionary<string, string>> rows = new(StringComparer.Ordinal);

    public int Count => rows.Count;

    public bool IsEmpty => rows.Count == 0;

    /// <summary>The rows ordered by key, so that output is deterministic (CMMO's own order is random).</summary>
    public IEnumerable<KeyValuePair<string, Dictionary<string, string>>> Ordered =>
        rows.OrderBy(r => r.Key, StringComparer.Ordinal);

    public bool TryGet(string key, out Dictionary<string, string> row) => rows.TryGetValue(key, out row!);

    /// <summary>Writes one series (with the samples of the hour or window being built) into its row.</summary>
    public void Apply(QueryDefinition query, LabelSet labels, IReadOnlyList<Sample> samples, TimeSpan step) =>
        Apply(query, labels, SampleSummary.Of(samples), step);

    /// <summary>Writes one series (with the summary of its samples in the hour or window being built) into its row.</summary>
    public void Apply(QueryDefinition query, LabelSet labels, SampleSummary samples, TimeSpan step)
    {
        var key = RowKey(query.RowKey.Select(l => labels[l]));
        if (!rows.TryGetValue(key, out var row))
        {
            row = new Dictionary<string, string>(StringComparer.Ordinal);
            rows[key] = row;
        }

        foreach (var f in query.LabelFields)
        {
            row[f.Field] = labels[f.Label];
        }

        foreach (var f in query.RegexFields)
        {
            row[f.Field] = LabelString(labels, f.Pattern);
        }

        if (query.Value is { } spec)
        {
            var (value, seconds) = samples.Evaluate(spec.Method, step);
            if (spec.ValueField is not null)
            {
                row[spec.ValueField] = CsvFormat.Number(value);
            }

            if (spec.SecondsField is not null)
            {
                row[spec.SecondsField] = CsvFormat.Number(seconds);
            }
        }
    }

    /// <summary>One label value as is; several: the values sorted ordinally and joined with "," (names not included).</summary>
    public static string RowKey(IEnumerable<string> values)
    {
        var list = values.ToList();
        if (list.Count == 1)
        {
            return list[0];
        }

        list.Sort(StringComparer.Ordinal);
        return string.Join(',', list);
    }

    /// <summary>
    /// The label string of §3.6: every label whose name matches the (unanchored) pattern as <c>name:value</c>,
    /// sorted ordinally as whole strings and joined with "|".
    /// </summary>
    public static string LabelString(LabelSet labels, string pattern)
    {
        var regex = PatternFor(pattern);
        var items = labels.All.Where(l => regex.IsMatch(l.Key)).Select(l => l.Key + ":" + l.Value).ToList();
        items.Sort(StringComparer.Ordinal);
        return string.Join('|', items);
    }

    /// <summary>§1.4 with Bridge decision g, on a list of samples (tests and ROS instants).</summary>
    public static (double Value, double Seconds) Evaluate(ValueMethod method, IReadOnlyList<Sample> samples, TimeSpan step) =>
        SampleSummary.Of(samples).Evaluate(method, step);

    private static Regex PatternFor(string pattern)
    {
        lock (PatternsGate)
        {
            if (!Patterns.TryGetValue(pattern, out var regex))
            {
                regex = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
                Patterns[pattern] = regex;
            }

            return regex;
        }
    }
}
