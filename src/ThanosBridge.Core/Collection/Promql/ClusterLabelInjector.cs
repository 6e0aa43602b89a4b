using System.Text;
using ThanosBridge.Core.Discovery;

namespace ThanosBridge.Core.Collection.Promql;

/// <summary>
/// Restricts a PromQL expression to one cluster by adding the matcher <c>label="id"</c> to every vector selector
/// (Bridge decision e). The expression is parsed to find where each selector's matchers end, and the matcher is
/// spliced in there; every other character stays exactly as written.
/// </summary>
public static class ClusterLabelInjector
{
    /// <summary>The label that carries the cluster on the hub (the multicluster observability default).</summary>
    public const string DefaultLabelName = "clusterID";

    /// <summary>
    /// Returns <paramref name="expression"/> with <c>labelName="clusterId"</c> added to every vector selector,
    /// including those in range selectors, subqueries, function arguments and both sides of binary operators.
    /// </summary>
    /// <exception cref="InvalidClusterIdException"><paramref name="clusterId"/> is not a valid cluster id.</exception>
    /// <exception cref="ArgumentException"><paramref name="labelName"/> is not a usable label name.</exception>
    /// <exception cref="PromqlSyntaxException"><paramref name="expression"/> is not valid PromQL.</exception>
    /// <exception cref="PromqlRewriteException">A selector already has a matcher for <paramref name="labelName"/>.</exception>
    public static string Inject(string expression, string labelName, ClusterId clusterId)
    {
        ArgumentNullException.ThrowIfNull(expression);
        EnsureValidLabelName(labelName);

        var selectors = Selectors(PromqlParser.Parse(expression));
        var matcher = labelName + "=" + PromqlStrings.Quote(clusterId.Value);
        var insertions = new List<(int Offset, string Text)>(selectors.Count);
        foreach (var selector in selectors)
        {
            if (selector.Matchers.FirstOrDefault(m => m.Name == labelName) is { } existing)
            {
                throw new PromqlRewriteException(
                    $"The selector at offset {existing.Start} already has a matcher for the label \"{labelName}\": " +
                    "the bridge selects the cluster itself, so a query must not.",
                    labelName,
                    existing.Start);
            }

            insertions.Add(InsertionFor(selector, matcher));
        }

        var result = Splice(expression, insertions);
        EnsureEverySelectorRestricted(result, labelName, clusterId.Value, selectors.Count);
        return result;
    }

    /// <summary>
    /// Returns <paramref name="expression"/> with <c>labelName=~"v1|v2|…"</c> (each value matched literally) added to every
    /// vector selector: a query whose answer can only hold those values of the label is narrowed to them, so that the
    /// server reads no series it would discard later (the ROS queries and the gate's namespaces, docs/accuracy.md).
    /// </summary>
    /// <exception cref="ArgumentException">No value, or <paramref name="labelName"/> is not a usable label name.</exception>
    /// <exception cref="PromqlSyntaxException"><paramref name="expression"/> is not valid PromQL.</exception>
    public static string NarrowTo(string expression, string labelName, IReadOnlyCollection<string> values)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(values);
        EnsureValidLabelName(labelName);
        if (values.Count == 0)
        {
            throw new ArgumentException("narrowing to no value would select nothing", nameof(values));
        }

        var alternatives = string.Join('|', values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(QuoteMeta));
        var matcher = labelName + "=~" + PromqlStrings.Quote(alternatives);
        var selectors = Selectors(PromqlParser.Parse(expression));
        return Splice(expression, [.. selectors.Select(s => InsertionFor(s, matcher))]);
    }

    /// <summary>Go's regexp.QuoteMeta: the value as an RE2 literal (Prometheus anchors the whole pattern).</summary>
    private static string QuoteMeta(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (@"\.+*?()|[]{}^$".Contains(c, StringComparison.Ordinal))
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    /// <summary>Whether <paramref name="name"/> is a plain Prometheus label name that is not reserved (<c>__</c>).</summary>
    public static bool IsValidLabelName(string? name) =>
        !string.IsNullOrEmpty(name)
        && (char.IsAsciiLetter(name[0]) || name[0] == '_')
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
        && !name.StartsWith("__", StringComparison.Ordinal);

    private static void EnsureValidLabelName(string labelName)
    {
        ArgumentNullException.ThrowIfNull(labelName);
        if (!IsValidLabelName(labelName))
        {
            throw new ArgumentException(
                $"The cluster label name {PromqlStrings.ForDisplay(labelName)} is not valid: it must match " +
                "[a-zA-Z_][a-zA-Z0-9_]* and must not start with \"__\" (reserved by Prometheus).",
                nameof(labelName));
        }
    }

    private static List<VectorSelector> Selectors(PromqlExpr root) =>
        [.. root.DescendantsAndSelf().OfType<VectorSelector>()];

    private static (int Offset, string Text) InsertionFor(VectorSelector selector, string matcher)
    {
        if (!selector.HasBraces)
        {
            return (selector.NameEnd, "{" + matcher + "}");
        }

        if (selector.Matchers.Count == 0)
        {
            return (selector.OpenBraceOffset + 1, matcher);
        }

        // After the last matcher (or its trailing comma), so that whitespace and comments before "}" stay put.
        return selector.TrailingCommaOffset >= 0
            ? (selector.TrailingCommaOffset + 1, matcher)
            : (selector.Matchers[^1].End, "," + matcher);
    }

    private static string Splice(string expression, List<(int Offset, string Text)> insertions)
    {
        insertions.Sort((a, b) => a.Offset.CompareTo(b.Offset));
        var sb = new StringBuilder(expression.Length + insertions.Sum(i => i.Text.Length));
        var copied = 0;
        foreach (var (offset, text) in insertions)
        {
            sb.Append(expression, copied, offset - copied).Append(text);
            copied = offset;
        }

        return sb.Append(expression, copied, expression.Length - copied).ToString();
    }

    // Defence in depth: the result must parse and every selector must carry exactly the injected matcher.
    private static void EnsureEverySelectorRestricted(string rewritten, string labelName, string clusterId, int expectedSelectors)
    {
        var selectors = Selectors(PromqlParser.Parse(rewritten));
        var restricted = selectors.Count(s =>
            s.Matchers.Count(m => m.Name == labelName) == 1
            && s.Matchers.Any(m => m.Name == labelName && m.Operator == LabelMatchOperator.Equal && m.Value == clusterId));
        if (selectors.Count != expectedSelectors || restricted != expectedSelectors)
        {
            throw new InvalidOperationException(
                $"Cluster label injection produced {restricted} restricted selectors out of {selectors.Count}, expected {expectedSelectors}.");
        }
    }
}
