using System.Text.RegularExpressions;

namespace ThanosBridge.OperationsTests.Chart;

/// <summary>
/// The metric names a PromQL expression selects. Deliberately simple: string literals, label matchers, ranges,
/// grouping clauses and Grafana variables are removed, and every remaining identifier that is not a function call, a
/// keyword or part of a number is a metric name. Good enough for the bundle's own expressions, and strict: an
/// identifier it does not understand shows up as an unknown metric and fails the test.
/// </summary>
internal static partial class PromqlMetricNames
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool", "and", "or", "unless", "atan2",
        "inf", "nan", "Inf", "NaN",
    };

    public static IReadOnlySet<string> Of(string expression)
    {
        var text = StringLiterals().Replace(expression, "\"\"");
        text = LabelMatchers().Replace(text, " ");
        text = Ranges().Replace(text, " ");
        text = GroupingClauses().Replace(text, " ");
        text = GrafanaVariables().Replace(text, " ");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match m in Identifiers().Matches(text))
        {
            var after = text.AsSpan(m.Index + m.Length).TrimStart();
            if (Keywords.Contains(m.Value) || (after.Length > 0 && after[0] == '('))
            {
                continue;
            }

            names.Add(m.Value);
        }

        return names;
    }

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""|'(?:[^'\\]|\\.)*'|`[^`]*`")]
    private static partial Regex StringLiterals();

    [GeneratedRegex(@"\{[^{}]*\}")]
    private static partial Regex LabelMatchers();

    [GeneratedRegex(@"\[[^\[\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)")]
    private static partial Regex GroupingClauses();

    [GeneratedRegex(@"\$(?:\{[^}]*\}|\w+)")]
    private static partial Regex GrafanaVariables();

    [GeneratedRegex(@"(?<![\w.$])[A-Za-z_:][A-Za-z0-9_:]*")]
    private static partial Regex Identifiers();
}
