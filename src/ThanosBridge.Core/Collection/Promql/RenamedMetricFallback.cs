using System.Text;

namespace ThanosBridge.Core.Collection.Promql;

/// <summary>
/// Lets a query read a metric under a second name where the first is absent: each instant vector that reads a metric
/// of <c>fallbacks</c> — the selector itself, or the function call over its range, or the aggregation reading either
/// directly — becomes <c>(v or v')</c>, v' reading the second name. <c>or</c> matches on every label but the metric name, so where both
/// names carry a series the first name's wins and nothing is counted twice. Every other character stays as written.
/// </summary>
public static class RenamedMetricFallback
{
    /// <exception cref="PromqlSyntaxException"><paramref name="expression"/> is not valid PromQL.</exception>
    /// <exception cref="ArgumentException">A metric of <paramref name="fallbacks"/> is read through a <c>__name__</c> matcher, or its range is not a function's argument.</exception>
    public static string Apply(string expression, IReadOnlyDictionary<string, string> fallbacks)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(fallbacks);
        var root = PromqlParser.Parse(expression);
        var parents = root.Parents();

        var targets = root.DescendantsAndSelf().OfType<VectorSelector>()
            .Where(s => s.MetricName is { } name && fallbacks.ContainsKey(name))
            .Select(s => InstantVectorOf(s, parents))
            .OrderBy(t => t.Start)
            .ToList();
        var sb = new StringBuilder(expression.Length + 128);
        var copied = 0;
        foreach (var target in targets)
        {
            if (target.Start < copied)
            {
                throw new ArgumentException($"two reads of renamed metrics overlap at offset {target.Start}", nameof(expression));
            }

            var text = target.TextIn(expression);
            sb.Append(expression, copied, target.Start - copied)
                .Append('(').Append(text).Append(" or ").Append(MetricNameRewriter.Rename(text, fallbacks)).Append(')');
            copied = target.End;
        }

        return sb.Append(expression, copied, expression.Length - copied).ToString();
    }

    /// <summary>
    /// The selector, or the function call over its range; lifted to the aggregation that reads it directly, so the
    /// aggregation sums its series in the selector's fixed order: an <c>or</c> below it would hand them over in no fixed
    /// order, and a sum's last bits would change from run to run.
    /// </summary>
    private static PromqlExpr InstantVectorOf(VectorSelector selector, IReadOnlyDictionary<PromqlExpr, PromqlExpr> parents)
    {
        PromqlExpr vector = selector;
        if (parents.TryGetValue(selector, out var parent) && parent is MatrixSelector range)
        {
            vector = parents.TryGetValue(range, out var call) && call is FunctionCall
                ? call
                : throw new ArgumentException($"the range over {selector.MetricName} at offset {range.Start} is not a function's argument");
        }

        var reader = vector;
        while (parents.TryGetValue(reader, out var up) && up is ParenExpr)
        {
            reader = up;
        }

        return parents.TryGetValue(reader, out var above) && above is AggregateExpr aggregation && aggregation.Parameter is null ? aggregation : vector;
    }
}
