using System.Text;

namespace ThanosBridge.Core.Collection.Promql;

/// <summary>
/// Renames metrics in a PromQL expression: the name written before a selector's braces is replaced where the parser
/// found it, every other character stays as written (the recorded per-pod requests and limits, PodResourceSupply).
/// </summary>
public static class MetricNameRewriter
{
    /// <summary>Returns <paramref name="expression"/> with each selector of a metric in <paramref name="renames"/> reading the new name.</summary>
    /// <exception cref="PromqlSyntaxException"><paramref name="expression"/> is not valid PromQL.</exception>
    /// <exception cref="ArgumentException">A renamed metric is selected through a <c>__name__</c> matcher, which this does not rewrite.</exception>
    public static string Rename(string expression, IReadOnlyDictionary<string, string> renames)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(renames);
        var selectors = PromqlParser.Parse(expression).DescendantsAndSelf().OfType<VectorSelector>()
            .Where(s => s.MetricName is { } name && renames.ContainsKey(name))
            .OrderBy(s => s.Start)
            .ToList();
        var sb = new StringBuilder(expression.Length + 64);
        var copied = 0;
        foreach (var selector in selectors)
        {
            if (selector.NameEnd == selector.Start)
            {
                throw new ArgumentException($"the selector at offset {selector.Start} names {selector.MetricName} in a __name__ matcher", nameof(expression));
            }

            sb.Append(expression, copied, selector.Start - copied).Append(renames[selector.MetricName!]);
            copied = selector.NameEnd;
        }

        return sb.Append(expression, copied, expression.Length - copied).ToString();
    }
}
