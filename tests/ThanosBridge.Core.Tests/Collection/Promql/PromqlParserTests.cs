using ThanosBridge.Core.Collection.Promql;

namespace ThanosBridge.Core.Tests.Collection.Promql;

public class PromqlParserTests
{
    [Theory]
    // Precedence and associativity (Prometheus: or < and/unless < comparisons < +- < */% atan2 < unary < ^).
    [InlineData("a + b * c", "(+ a (* b c))")]
    [InlineData("a * b + c", "(+ (* a b) c)")]
    [InlineData("a - b - c", "(- (- a b) c)")]
    [InlineData("a / b % c", "(% (/ a b) c)")]
    [InlineData("a ^ b ^ c", "(^ a (^ b c))")]
    [InlineData("a atan2 b + c", "(+ (atan2 a b) c)")]
    [InlineData("-a ^ b", "(neg (^ a b))")]
    [InlineData("-a * b", "(* (neg a) b)")]
    [InlineData("2 ^ -a", "(^ 2 (neg a))")]
    [InlineData("a + -b", "(+ a (neg b))")]
    [InlineData("--a", "(neg (neg a))")]
    [InlineData("+a", "(pos a)")]
    [InlineData("a or b and c", "(or a (and b c))")]
    [InlineData("a and b unless c", "(unless (and a b) c)")]
    [InlineData("a or b or c", "(or (or a b) c)")]
    [InlineData("a == b or c", "(or (== a b) c)")]
    [InlineData("a > b + c", "(> a (+ b c))")]
    [InlineData("a >= b != c", "(!= (>= a b) c)")]
    [InlineData("a < b <= c", "(<= (< a b) c)")]
    [InlineData("(a + b) * c", "(* (paren (+ a b)) c)")]
    [InlineData("a AND b Or c", "(or (and a b) c)")]
    // Modifiers of binary operators.
    [InlineData("a > bool b", "(> bool a b)")]
    [InlineData("a == bool on(x) b", "(== bool on(x) a b)")]
    [InlineData("a * on(x) group_left b", "(* on(x) group_left() a b)")]
    [InlineData("a * on(x, y,) group_left(z, w) b", "(* on(x,y) group_left(z,w) a b)")]
    [InlineData("a / ignoring(x) group_right b", "(/ ignoring(x) group_right() a b)")]
    [InlineData("a + ignoring() b", "(+ ignoring() a b)")]
    [InlineData("a and on(x) b", "(and on(x) a b)")]
    [InlineData("a * on(x) group_left (y) b", "(* on(x) group_left(y) a b)")]
    [InlineData("a * on(by, sum) b", "(* on(by,sum) a b)")]
    // Aggregations.
    [InlineData("sum(a)", "(sum a)")]
    [InlineData("sum by (x, y) (a)", "(sum by(x,y) a)")]
    [InlineData("sum(a) by (x)", "(sum by(x) a)")]
    [InlineData("sum without (x,) (a)", "(sum without(x) a)")]
    [InlineData("avg without () (a)", "(avg without() a)")]
    [InlineData("SUM BY (x) (a)", "(sum by(x) a)")]
    [InlineData("max by(\"a.b\") (a)", "(max by(a.b) a)")]
    [InlineData("topk(5, a)", "(topk 5 a)")]
    [InlineData("bottomk by (x) (2, a)", "(bottomk by(x) 2 a)")]
    [InlineData("quantile(0.9, a)", "(quantile 0.9 a)")]
    [InlineData("count_values(\"v\", a)", "(countvalues 'v' a)")]
    [InlineData("limitk(3, a)", "(limitk 3 a)")]
    [InlineData("limit_ratio(0.5, a)", "(limitratio 0.5 a)")]
    [InlineData("count(a) + group(b) - stddev(c) - stdvar(d) - min(e)", "(- (- (- (+ (count a) (group b)) (stddev c)) (stdvar d)) (min e))")]
    [InlineData("topk(scalar(b), a)", "(topk (scalar b) a)")]
    // Functions.
    [InlineData("time()", "(time)")]
    [InlineData("rate(a[5m])", "(rate a[300s])")]
    [InlineData("clamp_max(a + 1, 1)", "(clamp_max (+ a 1) 1)")]
    [InlineData("label_replace(a, \"dst\", \"{x}\", \"src\", \"(.*)\")", "(label_replace a 'dst' '{x}' 'src' '(.*)')")]
    [InlineData("anything_at_all(a, 'b')", "(anything_at_all a 'b')")]
    // Selectors.
    [InlineData("cost:pod_labels", "cost:pod_labels")]
    [InlineData("foo{}", "foo")]
    [InlineData("foo{a=\"b\", c!='d', e=~`f`, g!~\"h\",}", "foo{a='b',c!='d',e=~'f',g!~'h'}")]
    [InlineData("{__name__=\"foo\", a=\"b\"}", "{__name__='foo',a='b'}")]
    [InlineData("{\"my.metric\", \"a.b\"=\"c\"}", "{__name__='my.metric',a.b='c'}")]
    [InlineData("foo{by=\"x\"}", "foo{by='x'}")]
    [InlineData("foo{a=\"}\", b=\"{x}\"}", "foo{a='}',b='{x}'}")]
    [InlineData("sum", "sum")]
    [InlineData("sum{a=\"b\"} + offset", "(+ sum{a='b'} offset)")]
    [InlineData("by", "by")]
    [InlineData("Infinity", "Infinity")]
    // Ranges, subqueries, offset and @.
    [InlineData("foo[1h30m]", "foo[5400s]")]
    [InlineData("foo [ 90 ]", "foo[90s]")]
    [InlineData("foo[5m:]", "(subquery foo 300s:)")]
    [InlineData("rate(foo[5m])[30m:1m]", "(subquery (rate foo[300s]) 1800s:60s)")]
    [InlineData("max_over_time(sum by(namespace) (x)[15m:])", "(max_over_time (subquery (sum by(namespace) x) 900s:))")]
    [InlineData("(a + b)[5m:]", "(subquery (paren (+ a b)) 300s:)")]
    [InlineData("-a[5m:]", "(neg (subquery a 300s:))")]
    [InlineData("a + b offset 5m", "(+ a b offset 300s)")]
    [InlineData("foo offset -5m", "foo offset -300s")]
    [InlineData("foo[5m] offset 1h", "foo[300s] offset 3600s")]
    [InlineData("foo[5m:] offset 1h", "(subquery foo 300s:) offset 3600s")]
    [InlineData("foo offset 5m[10m:]", "(subquery foo offset 300s 600s:)")]
    [InlineData("foo @ 1609746000", "foo @ 1609746000")]
    [InlineData("foo @ -5.5", "foo @ -5.5")]
    [InlineData("foo @ start()", "foo @ start()")]
    [InlineData("foo @ END()", "foo @ end()")]
    [InlineData("foo @ 100 offset 5m", "foo offset 300s @ 100")]
    [InlineData("foo[5m] offset 5m @ end()", "foo[300s] offset 300s @ end()")]
    // Literals and comments.
    [InlineData("0x1F + 1e3 + 1_000 + .5", "(+ (+ (+ 31 1000) 1000) 0.5)")]
    [InlineData("1h30m + 100ms + 1y", "(+ (+ 5400 0.1) 31536000)")]
    [InlineData("Inf - NaN", "(- Infinity NaN)")]
    [InlineData("\"a\\\"b\" + 'c\\'d' + `e\\f`", "(+ (+ 'a\"b' 'c'd') 'e\\f')")]
    [InlineData("a # one {\n + # two\n b", "(+ a b)")]
    public void Parse_ValidExpression_BuildsExpectedTree(string input, string expected)
    {
        PromqlTreeFormat.Of(PromqlParser.Parse(input)).ShouldBe(expected);
    }

    [Theory]
    [InlineData("", 0, "no expression found in input")]
    [InlineData("  # only a comment", 0, "no expression found in input")]
    [InlineData("foo bar", 4, "unexpected identifier \"bar\"")]
    [InlineData("(foo", 0, "unclosed left parenthesis")]
    [InlineData("rate(foo", 4, "unclosed left parenthesis")]
    [InlineData("sum by (a", 7, "unclosed left parenthesis")]
    [InlineData("foo)", 3, "unexpected \")\"")]
    [InlineData("(foo bar)", 5, "unexpected identifier \"bar\" in parenthesised expression")]
    [InlineData("a +", 3, "unexpected end of input")]
    [InlineData("foo = 1", 4, "unexpected \"=\"")]
    [InlineData("bool", 0, "unexpected keyword \"bool\"")]
    [InlineData("a * group_left b", 4, "unexpected keyword \"group_left\"")]
    [InlineData("a * on x b", 7, "unexpected identifier \"x\" in grouping opts, expected \"(\"")]
    [InlineData("a * on(x y) b", 9, "in grouping opts, expected \",\" or \")\"")]
    [InlineData("a * on(1) b", 7, "unexpected number \"1\" in grouping opts, expected label")]
    [InlineData("a * on(x) group_left(y)", 23, "unexpected end of input")]
    [InlineData("a + bool b", 4, "bool modifier can only be used on comparison operators")]
    [InlineData("a and on(x) group_left b", 12, "no grouping allowed for \"and\" operation")]
    [InlineData("a or on(x) group_right b", 11, "no grouping allowed for \"or\" operation")]
    [InlineData("sum(foo) by", 11, "unexpected end of input in grouping opts")]
    [InlineData("sum by (a) (foo) by (b)", 17, "unexpected keyword \"by\"")]
    [InlineData("sum by (a) foo", 11, "unexpected identifier \"foo\" in aggregation, expected \"(\"")]
    [InlineData("sum()", 4, "no arguments for aggregate expression provided")]
    [InlineData("sum(a, b)", 0, "expected 1, got 2")]
    [InlineData("topk(foo)", 0, "expected 2, got 1")]
    [InlineData("rate(foo[5m],)", 12, "trailing commas not allowed in function call args")]
    [InlineData("sum(foo,)", 7, "trailing commas not allowed in aggregation args")]
    [InlineData("rate(foo[5m] bar)", 13, "in function call, expected \",\" or \")\"")]
    [InlineData("foo{a=\"b\"}{c=\"d\"}", 10, "unexpected \"{\"")]
    [InlineData("{}", 0, "vector selector must contain at least one non-empty matcher")]
    [InlineData("foo{__name__=\"bar\"}", 4, "metric name must not be set twice")]
    [InlineData("foo{a=\"b\" c=\"d\"}", 10, "expected \",\" or \"}\"")]
    [InlineData("foo{a}", 5, "expected label matching operator")]
    [InlineData("foo{a=b}", 6, "in label matching, expected string")]
    [InlineData("foo{,}", 4, "expected label name or \"}\"")]
    [InlineData("foo{a=\"b\",,}", 10, "expected label name or \"}\"")]
    [InlineData("sum(foo)[5m]", 8, "ranges only allowed for vector selectors")]
    [InlineData("foo[5m][5m]", 7, "ranges only allowed for vector selectors")]
    [InlineData("foo offset 5m[5m]", 13, "no offset or @ modifiers allowed before range")]
    [InlineData("foo[5m][10m:]", 7, "subquery is only allowed on an instant vector")]
    [InlineData("foo[5m:][10m:]", 8, "subquery is only allowed on an instant vector")]
    [InlineData("foo[:5m]", 4, "unexpected \":\" in range, expected duration")]
    [InlineData("foo[5m:1m:]", 9, "in subquery selector, expected \"]\"")]
    [InlineData("foo[1e400]", 4, "range must be a non-negative number of seconds")]
    [InlineData("sum(foo) offset 5m", 9, "offset modifier must be preceded by an instant vector selector")]
    [InlineData("(foo) @ 100", 6, "@ modifier must be preceded by an instant vector selector")]
    [InlineData("foo offset 5m offset 1m", 14, "offset may not be set multiple times")]
    [InlineData("foo @ 1 @ 2", 8, "@ <timestamp> may not be set multiple times")]
    [InlineData("foo offset bar", 11, "in offset, expected duration")]
    [InlineData("foo @ bar", 6, "in @ modifier, expected a unix timestamp")]
    [InlineData("foo @ Inf", 6, "timestamp out of bounds for @ modifier")]
    [InlineData("foo @ start(", 12, "expected \")\"")]
    public void Parse_InvalidExpression_ThrowsWithOffset(string input, int offset, string reason)
    {
        var ex = Should.Throw<PromqlSyntaxException>(() => PromqlParser.Parse(input));

        ex.Reason.ShouldContain(reason);
        ex.Offset.ShouldBe(offset);
    }

    [Fact]
    public void Parse_Selector_RecordsBraceAndCommaOffsetsForSplicing()
    {
        const string input = "rate(foo{a=\"b\", } [5m]) + bar";

        var selectors = PromqlParser.Parse(input).DescendantsAndSelf().OfType<VectorSelector>().ToList();

        selectors.Count.ShouldBe(2);
        var foo = selectors[0];
        foo.MetricName.ShouldBe("foo");
        foo.OpenBraceOffset.ShouldBe(8);
        foo.TrailingCommaOffset.ShouldBe(14);
        foo.Matchers.ShouldHaveSingleItem().ShouldBe(new LabelMatcher("a", LabelMatchOperator.Equal, "b", 9, 14));
        foo.TextIn(input).ShouldBe("foo{a=\"b\", }");
        var bar = selectors[1];
        bar.HasBraces.ShouldBeFalse();
        bar.OpenBraceOffset.ShouldBe(-1);
        (bar.Start, bar.End, bar.SelectorEnd).ShouldBe((26, 29, 29));
    }

    [Fact]
    public void Parse_NodesWithModifiers_SpanTheModifiers()
    {
        const string input = "rate(foo[5m] offset 1h) + bar @ end()";

        var root = PromqlParser.Parse(input);

        var binary = root.ShouldBeOfType<BinaryExpr>();
        binary.Left.TextIn(input).ShouldBe("rate(foo[5m] offset 1h)");
        var matrix = binary.Left.ShouldBeOfType<FunctionCall>().Arguments.ShouldHaveSingleItem().ShouldBeOfType<MatrixSelector>();
        matrix.TextIn(input).ShouldBe("foo[5m] offset 1h");
        matrix.Selector.TextIn(input).ShouldBe("foo");
        var bar = binary.Right.ShouldBeOfType<VectorSelector>();
        bar.TextIn(input).ShouldBe("bar @ end()");
        bar.SelectorEnd.ShouldBe(29);
        (root.Start, root.End).ShouldBe((0, input.Length));
    }

    [Fact]
    public void Parse_MetricNameFromNameMatcher_IsTheMetricName()
    {
        var selector = PromqlParser.Parse("{__name__=\"up\", job=\"x\"}").ShouldBeOfType<VectorSelector>();

        selector.MetricName.ShouldBe("up");
        selector.Matchers.Count.ShouldBe(2);
    }

    [Fact]
    public void Parse_RegexNameMatcher_LeavesMetricNameUnset()
    {
        var selector = PromqlParser.Parse("{__name__=~\"up|down\"}").ShouldBeOfType<VectorSelector>();

        selector.MetricName.ShouldBeNull();
    }

    [Theory]
    [InlineData("\"a\\\"b\"", "a\"b")]
    [InlineData("'it\\'s'", "it's")]
    [InlineData("`C:\\path\\n`", "C:\\path\\n")]
    [InlineData("\"\\x41\\101\\u00e9\\U0001F600\"", "AA\u00e9\U0001F600")]
    [InlineData("\"\\xc3\\xa9\"", "\u00e9")]
    [InlineData("\"\\a\\b\\f\\n\\r\\t\\v\\\\\"", "\a\b\f\n\r\t\v\\")]
    [InlineData("\"caf\u00e9 \U0001F600\"", "caf\u00e9 \U0001F600")]
    public void Parse_StringLiteral_DecodesGoEscapes(string input, string expected)
    {
        PromqlParser.Parse(input).ShouldBeOfType<StringLiteral>().Value.ShouldBe(expected);
    }

    [Theory]
    [InlineData("0x1F", 31)]
    [InlineData("0XfF", 255)]
    [InlineData("1e3", 1000)]
    [InlineData("1.5E-3", 0.0015)]
    [InlineData("1_000_000", 1_000_000)]
    [InlineData(".5", 0.5)]
    [InlineData("5.", 5)]
    [InlineData("1h30m", 5400)]
    [InlineData("100ms", 0.1)]
    [InlineData("1y2w3d4h5m6s7ms", 31536000 + (2 * 604800) + (3 * 86400) + (4 * 3600) + (5 * 60) + 6.007)]
    [InlineData("inf", double.PositiveInfinity)]
    [InlineData("NaN", double.NaN)]
    public void Parse_NumberLiteral_HasPrometheusValue(string input, double expected)
    {
        PromqlParser.Parse(input).ShouldBeOfType<NumberLiteral>().Value.ShouldBe(expected);
    }

    [Fact]
    public void Parse_Aggregation_ExposesOperatorParameterAndGrouping()
    {
        var aggregate = PromqlParser.Parse("count_values without (a, b) (\"le\", foo)").ShouldBeOfType<AggregateExpr>();

        aggregate.Operator.ShouldBe(AggregationOperator.CountValues);
        aggregate.Parameter.ShouldBeOfType<StringLiteral>().Value.ShouldBe("le");
        aggregate.Argument.ShouldBeOfType<VectorSelector>().MetricName.ShouldBe("foo");
        aggregate.Grouping.ShouldBe(["a", "b"]);
        aggregate.Without.ShouldBeTrue();
    }

    [Fact]
    public void Parse_VectorMatching_ExposesLabelsAndCardinality()
    {
        var binary = PromqlParser.Parse("a * on(pod, namespace) group_left(node) b").ShouldBeOfType<BinaryExpr>();

        binary.Operator.ShouldBe(BinaryOperator.Multiply);
        binary.ReturnBool.ShouldBeFalse();
        binary.Matching.ShouldNotBeNull();
        binary.Matching.On.ShouldBeTrue();
        binary.Matching.MatchingLabels.ShouldBe(["pod", "namespace"]);
        binary.Matching.Cardinality.ShouldBe(VectorMatchCardinality.ManyToOne);
        binary.Matching.Include.ShouldBe(["node"]);
    }

    [Fact]
    public void Parse_Subquery_ExposesRangeStepAndModifiers()
    {
        var subquery = PromqlParser.Parse("rate(x[5m])[1h:5m] offset -10m @ 1700000000").ShouldBeOfType<SubqueryExpr>();

        subquery.Range.ShouldBe(TimeSpan.FromHours(1));
        subquery.Step.ShouldBe(TimeSpan.FromMinutes(5));
        subquery.Offset.ShouldBe(TimeSpan.FromMinutes(-10));
        subquery.At.ShouldBe(new AtModifier(AtModifierKind.Timestamp, 1700000000));
    }

    [Fact]
    public void DescendantsAndSelf_Tree_VisitsEveryNodeInSourceOrder()
    {
        const string input = "sum by (x) (rate(a[5m])) / on(x) group_left b or -c";

        var texts = PromqlParser.Parse(input).DescendantsAndSelf().Select(n => n.TextIn(input)).ToList();

        texts.ShouldBe(
        [
            input,
            "sum by (x) (rate(a[5m])) / on(x) group_left b",
            "sum by (x) (rate(a[5m]))",
            "rate(a[5m])",
            "a[5m]",
            "a",
            "b",
            "-c",
            "c",
        ]);
    }

    [Theory]
    [InlineData("(", ")")]
    [InlineData("-", "")]
    [InlineData("abs(", ")")]
    [InlineData("sum(", ")")]
    public void Parse_NestingBeyondLimit_ThrowsInsteadOfOverflowingTheStack(string open, string close)
    {
        var deep = string.Concat(Enumerable.Repeat(open, 100_000)) + "x" + string.Concat(Enumerable.Repeat(close, 100_000));

        var ex = Should.Throw<PromqlSyntaxException>(() => PromqlParser.Parse(deep));

        ex.Reason.ShouldBe($"expression nested more than {PromqlParser.MaxNestingDepth} levels deep");
    }

    [Fact]
    public void Parse_NestingAtLimit_Parses()
    {
        var depth = PromqlParser.MaxNestingDepth - 1;
        var nested = new string('(', depth) + "x" + new string(')', depth);

        PromqlParser.Parse(nested).DescendantsAndSelf().OfType<ParenExpr>().Count().ShouldBe(depth);
    }

    [Fact]
    public void Parse_LongFlatExpression_Parses()
    {
        var flat = string.Join(" + ", Enumerable.Range(0, 5000).Select(i => $"m{i}"));

        PromqlParser.Parse(flat).DescendantsAndSelf().OfType<VectorSelector>().Count().ShouldBe(5000);
    }

    [Fact]
    public void Parse_Null_Throws()
    {
        Should.Throw<ArgumentNullException>(() => PromqlParser.Parse(null!));
    }
}
