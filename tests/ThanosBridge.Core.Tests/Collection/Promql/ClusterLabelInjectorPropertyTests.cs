using System.Text;
using ThanosBridge.Core.Collection.Promql;
using ThanosBridge.Core.Discovery;

namespace ThanosBridge.Core.Tests.Collection.Promql;

/// <summary>
/// Property-style checks over many expressions: after injection the result parses, every vector selector carries
/// exactly one matcher for the label, and the text equals the input with the matcher at the generator's marks.
/// </summary>
public class ClusterLabelInjectorPropertyTests
{
    private const string Matcher = "clusterID=\"c-1.example:x_y\"";

    public static TheoryData<int> Seeds => [.. Enumerable.Range(0, 40)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Inject_GeneratedExpressions_EverySelectorRestrictedAndRestUnchanged(int seed)
    {
        var generator = new ExpressionGenerator(new Random(seed));
        for (var i = 0; i < 25; i++)
        {
            var template = generator.Expression(depth: 4);
            var (input, expected, marks) = CmmoQueryShapesTests.Expand(template, Matcher);

            var rewritten = ClusterLabelInjector.Inject(input, "clusterID", ClusterId.Parse("c-1.example:x_y"));

            rewritten.ShouldBe(expected, $"seed {seed} #{i}: {input}");
            AssertEverySelectorRestricted(rewritten, marks, input);
        }
    }

    [Theory]
    [MemberData(nameof(CmmoShapeInputs))]
    public void Inject_CmmoShapes_EverySelectorRestricted(string template)
    {
        var (input, _, marks) = CmmoQueryShapesTests.Expand(template, Matcher);

        AssertEverySelectorRestricted(ClusterLabelInjector.Inject(input, "clusterID", ClusterId.Parse("c-1.example:x_y")), marks, input);
    }

    public static TheoryData<string> CmmoShapeInputs => [.. CmmoQueryShapesTests.Shapes.Select(row => row.Data.Item2)];

    private static void AssertEverySelectorRestricted(string rewritten, int expectedSelectors, string input)
    {
        var selectors = PromqlParser.Parse(rewritten).DescendantsAndSelf().OfType<VectorSelector>().ToList();
        selectors.Count.ShouldBe(expectedSelectors, input);
        foreach (var selector in selectors)
        {
            selector.Matchers.Where(m => m.Name == "clusterID").ShouldHaveSingleItem(input)
                .ShouldBe(selector.Matchers.Single(m => m.Name == "clusterID") with { Operator = LabelMatchOperator.Equal, Value = "c-1.example:x_y" });
        }
    }

    /// <summary>Random PromQL with hand-placed marks where each selector's matcher belongs (see <see cref="CmmoQueryShapesTests"/>).</summary>
    private sealed class ExpressionGenerator(Random random)
    {
        private static readonly string[] Names = ["up", "kube_pod_info", "cost:pod_labels", ":recorded", "node_namespace_pod_container:container_cpu_usage_seconds_total:sum_irate", "Infinity", "x9_"];
        private static readonly string[] Labels = ["pod", "namespace", "by", "offset", "le", "_x", "cluster", "clusterid"];
        private static readonly string[] Values = ["\"v\"", "'v'", "`v`", "\"}\"", "\"{x}\"", "'a\\'b'", "\"#\"", "\"\\\"\"", "\"\"", "`\\`"];
        private static readonly string[] MatchOps = ["=", "!=", "=~", "!~"];
        private static readonly string[] Spaces = ["", " ", "  ", "\n", "\t", " # note {x} \"y\n", "\r\n"];
        private static readonly string[] ArithmeticOps = ["+", "-", "*", "/", "%", "^", "atan2", "==", "!=", ">", "<=", ">=", "<"];
        private static readonly string[] SetOps = ["and", "or", "unless", "AND", "Or"];

        public string Expression(int depth)
        {
            var choice = depth <= 0 ? random.Next(3) : random.Next(13);
            return choice switch
            {
                0 or 1 => Selector() + Modifier(),
                2 => Pick(["1", "0x1F", "1e3", ".5", "Inf", "(2)"]),
                3 => $"rate({Selector()}{Sp()}[{Pick(["5m", "15m", "1h30m"])}]{Modifier()})",
                4 => $"{Pick(["max_over_time", "avg_over_time"])}({Instant(depth - 1)}[{Pick(["15m:", "1h:5m", "30m:1m"])}]{Modifier()})",
                5 => $"{Pick(["sum", "avg", "max", "SUM", "count", "group"])}{Gap()}by{Sp()}({Pick(["pod", "pod, namespace", "clusterID", "", "le,"])}){Sp()}({Expression(depth - 1)})",
                6 => $"{Pick(["sum", "min", "stddev"])}({Expression(depth - 1)}){Sp()}without{Sp()}({Pick(["node", "clusterID, pod"])})",
                7 => $"{Pick(["topk", "bottomk", "quantile"])}({Pick(["3", "0.5", "scalar(" + Selector() + ")"])},{Sp()}{Expression(depth - 1)})",
                8 => $"{Expression(depth - 1)}{Gap()}{Pick(ArithmeticOps)}{Gap()}{Expression(depth - 1)}",
                9 => Join(depth),
                10 => $"{Expression(depth - 1)}{Gap()}{Pick(SetOps)}{Gap()}{Pick(["", "on(pod) ", "ignoring(clusterID) "])}{Expression(depth - 1)}",
                11 => $"label_replace({Expression(depth - 1)}, \"clusterID\", \"$1\", \"src\", \"(.*){{x}}\")",
                _ => $"{Pick(["-", "+", ""])}({Sp()}{Expression(depth - 1)}{Sp()})",
            };
        }

        // As in Prometheus, "(" right after a bare group_left opens its label list, so the right side is a selector.
        private string Join(int depth)
        {
            var group = Pick(["group_left", "group_right", "group_left(node)", "group_left (node)"]);
            var right = group.EndsWith(')') ? Expression(depth - 1) : Selector();
            return $"{Expression(depth - 1)}{Sp()}*{Sp()}on({Pick(["pod", "clusterID", "namespace, pod"])}){Sp()}{group}{Gap()}{right}";
        }

        // A subquery needs an instant vector operand; parentheses make any generated expression one.
        private string Instant(int depth) => random.Next(2) == 0 ? Selector() : $"({Expression(depth)})";

        private string Selector()
        {
            var named = random.Next(4) != 0;
            var sb = new StringBuilder(named ? Pick(Names) : "");
            var form = named ? random.Next(4) : 3;
            if (form == 0)
            {
                return sb.Append("«{}»").ToString();
            }

            sb.Append('{');
            var matchers = new List<string>();
            if (!named)
            {
                matchers.Add(random.Next(2) == 0 ? "__name__=\"up\"" : "__name__=~\"up|down\"");
            }

            for (var i = form == 1 ? 0 : random.Next(1, 4); i > 0; i--)
            {
                matchers.Add($"{Pick(Labels)}{Sp(allowComment: false)}{Pick(MatchOps)}{Sp(allowComment: false)}{Pick(Values)}");
            }

            if (matchers.Count == 0)
            {
                return sb.Append("«»").Append(Sp(allowComment: false)).Append('}').ToString();
            }

            sb.Append(Sp(allowComment: false)).Append(string.Join("," + Sp(allowComment: false), matchers));
            sb.Append(random.Next(3) == 0 ? ",«»" : "«,»");
            return sb.Append(Sp()).Append('}').ToString();
        }

        private string Modifier() => random.Next(5) switch
        {
            0 => " offset " + Pick(["5m", "-1h", "1d2h"]),
            1 => " @ " + Pick(["start()", "end()", "1700000000"]),
            _ => "",
        };

        // Whitespace that separates two words (never empty).
        private string Gap() => Pick(Spaces) is { Length: > 0 } s ? s : " ";

        private string Sp(bool allowComment = true)
        {
            var s = Pick(Spaces);
            return !allowComment && s.Contains('#', StringComparison.Ordinal) ? " " : s;
        }

        private string Pick(string[] options) => options[random.Next(options.Length)];
    }
}
