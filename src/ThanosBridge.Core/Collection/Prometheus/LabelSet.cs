namespace ThanosBridge.Core.Collection.Prometheus;

/// <summary>
/// The labels of one series, sorted by name (ordinal), as Prometheus keeps them. A missing label reads as "",
/// which is how PromQL and CMMO treat it.
/// </summary>
public sealed class LabelSet : IEquatable<LabelSet>
{
    private readonly KeyValuePair<string, string>[] labels;

    public LabelSet(IEnumerable<KeyValuePair<string, string>> labels)
    {
        this.labels = [.. labels];
        Array.Sort(this.labels, (a, b) => string.CompareOrdinal(a.Key, b.Key));
    }

    public static LabelSet Empty { get; } = new([]);

    public static LabelSet Of(params (string Name, string Value)[] labels) =>
        new(labels.Select(l => KeyValuePair.Create(l.Name, l.Value)));

    public int Count => labels.Length;

    /// <summary>The labels in name order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> All => labels;

    /// <summary>The value of <paramref name="name"/>, or "" when the series has no such label.</summary>
    public string this[string name] => TryGet(name, out var value) ? value : "";

    public bool TryGet(string name, out string value)
    {
        var lo = 0;
        var hi = labels.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >> 1;
            var c = string.CompareOrdinal(labels[mid].Key, name);
            if (c == 0)
            {
                value = labels[mid].Value;
                return true;
            }

            if (c < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        value = "";
        return false;
    }

    /// <summary>Orders label sets as Prometheus sorts matrices (<c>labels.Compare</c>).</summary>
    public static IComparer<LabelSet> PrometheusOrder { get; } = Comparer<LabelSet>.Create(Compare);

    /// <summary>Prometheus <c>labels.Compare</c>: label by label in name order, name then value, then length.</summary>
    public static int Compare(LabelSet? left, LabelSet? right)
    {
        if (ReferenceEquals(left, right))
        {
            return 0;
        }

        if (left is null || right is null)
        {
            return left is null ? -1 : 1;
        }

        return left.CompareTo(right);
    }

    private int CompareTo(LabelSet other)
    {
        var n = Math.Min(labels.Length, other.labels.Length);
        for (var i = 0; i < n; i++)
        {
            var c = string.CompareOrdinal(labels[i].Key, other.labels[i].Key);
            if (c != 0)
            {
                return c;
            }

            c = string.CompareOrdinal(labels[i].Value, other.labels[i].Value);
            if (c != 0)
            {
                return c;
            }
        }

        return labels.Length.CompareTo(other.labels.Length);
    }

    public bool Equals(LabelSet? other) => other is not null && CompareTo(other) == 0;

    public override bool Equals(object? obj) => obj is LabelSet other && Equals(other);

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var (k, v) in labels)
        {
            hash.Add(k, StringComparer.Ordinal);
            hash.Add(v, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    public override string ToString() =>
        "{" + string.Join(", ", labels.Select(l => $"{l.Key}=\"{l.Value}\"")) + "}";
}
