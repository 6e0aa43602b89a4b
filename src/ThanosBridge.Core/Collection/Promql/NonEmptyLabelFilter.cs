using System.Text;

namespace ThanosBridge.Core.Collection.Promql;

/// <summary>
/// Moves a <c>label!=''</c> matcher out of each selector into a filter on what the selector (or the per-series function
/// reading it) returns: <c>X{pod!='', …}</c> becomes <c>(X{…} unless on(pod) vector(0))</c>, and
/// <c>f(X{pod!='', …}[r])</c> becomes <c>(f(X{…}[r]) unless on(pod) vector(0))</c>. Both drop exactly the series whose
/// label is empty or missing (<c>vector(0)</c> has no labels, so it matches those on the label), so every answer is the
/// same; but the server no longer resolves <c>label!=''</c> from its index, which for a label such as <c>pod</c> merges
/// the postings of every value the label has on the whole hub: on a 40-cluster hub that was 90 % of a ROS query's time
/// (docs/operations.md, Sizing). A selector whose range is read by any other function, or whose answer is summed or averaged
/// directly, is left as it is.
/// </summary>
public static class NonEmptyLabelFilter
{
    /// <summary>Functions that evaluate each series of their range argument on its own and keep its labels (but the name).</summary>
    private static readonly HashSet<string> PerSeriesRangeFunctions = new(StringComparer.Ordinal)
    {
        "rate", "irate", "increase", "delta", "idelta", "deriv", "changes", "resets",
        "avg_over_time", "min_over_time", "max_over_time", "sum_over_time", "count_over_time", "last_over_time",
        "stddev_over_time", "stdvar_over_time", "present_over_time",
    };

    /// <summary>Returns <paramref name="expression"/> with every <c>label!=''</c> matcher on <paramref name="label"/> moved out, as above.</summary>
    /// <exception cref="PromqlSyntaxException"><paramref name="expression"/> is not valid PromQL.</exception>
    public static string Hoist(string expression, string label)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(label);
        var root = PromqlParser.Parse(expression);
        var parents = root.Parents();

        var edits = new List<(int Offset, int Remove, string Insert)>();
        foreach (var selector in root.DescendantsAndSelf().OfType<VectorSelector>())
        {
            var index = IndexOfNonEmptyMatcher(selector, label);
            if (index < 0 || selector.MetricName is null || FilterTarget(selector, parents) is not { } target)
            {
                continue;
            }

            edits.Add(Removal(selector, index));
            edits.Add((target.Start, 0, "("));
            edits.Add((target.End, 0, $" unless on({label}) vector(0))"));
        }

        return Apply(expression, edits);
    }

    private static int IndexOfNonEmptyMatcher(VectorSelector selector, string label)
    {
        for (var i = 0; i < selector.Matchers.Count; i++)
        {
            var m = selector.Matchers[i];
            if (m.Name == label && m.Operator == LabelMatchOperator.NotEqual && m.Value.Length == 0)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// The node whose answer the filter goes on: the selector itself, or the per-series function reading its range; null
    /// when that answer goes straight into an aggregation whose result depends on the order of its input (a sum): a
    /// binary operator's answer reaches the next operator in no fixed order, where a selector's and a function's come
    /// sorted, so a filter there could change the last bits of a sum from one run to the next.
    /// </summary>
    private static PromqlExpr? FilterTarget(VectorSelector selector, IReadOnlyDictionary<PromqlExpr, PromqlExpr> parents)
    {
        PromqlExpr target = selector;
        if (parents.TryGetValue(selector, out var parent) && parent is MatrixSelector range)
        {
            if (!parents.TryGetValue(range, out var call) || call is not FunctionCall f || !PerSeriesRangeFunctions.Contains(f.Name) || f.Arguments.Count != 1)
            {
                return null;
            }

            target = call;
        }

        var above = target;
        while (parents.TryGetValue(above, out var next) && next is ParenExpr)
        {
            above = next;
        }

        return parents.TryGetValue(above, out var consumer) && consumer is AggregateExpr aggregate
            && aggregate.Operator is not (AggregationOperator.Max or AggregationOperator.Min or AggregationOperator.Count or AggregationOperator.Group)
            ? null
            : target;
    }

    /// <summary>The matcher with the comma that separates it from its neighbour (the next one, or the previous if it is last).</summary>
    private static (int Offset, int Remove, string Insert) Removal(VectorSelector selector, int index)
    {
        var matchers = selector.Matchers;
        var m = matchers[index];
        if (index + 1 < matchers.Count)
        {
            return (m.Start, matchers[index + 1].Start - m.Start, "");
        }

        return index > 0 ? (matchers[index - 1].End, m.End - matchers[index - 1].End, "") : (m.Start, m.End - m.Start, "");
    }

    private static string Apply(string expression, List<(int Offset, int Remove, string Insert)> edits)
    {
        // Later offsets first, so earlier ones stay valid; at one offset, removals before insertions.
        edits.Sort((a, b) => a.Offset != b.Offset ? b.Offset.CompareTo(a.Offset) : b.Remove.CompareTo(a.Remove));
        var sb = new StringBuilder(expression);
        foreach (var (offset, remove, insert) in edits)
        {
            sb.Remove(offset, remove).Insert(offset, insert);
        }

        return sb.ToString();
    }
}
