// Over 300 lines on purpose: one recursive-descent grammar whose precedence levels call each other; split by level,
// a reader would follow every expression across files.
using System.Collections.Frozen;

namespace ThanosBridge.Core.Collection.Promql;

/// <summary>
/// A recursive-descent parser for PromQL with Prometheus' precedence (lowest first: <c>or</c>; <c>and</c>
/// <c>unless</c>; comparisons; <c>+ -</c>; <c>* / % atan2</c>; unary <c>+ -</c>; right-associative <c>^</c>;
/// then the postfix range, subquery, <c>offset</c> and <c>@</c>). It checks syntax and the structural rules the
/// Prometheus parser enforces, but not types or function names: Prometheus still validates the query it runs.
/// </summary>
public static class PromqlParser
{
    private const int PowerPrecedence = 6;

    /// <summary>Deeper nesting is rejected so that hostile input cannot overflow the stack (real queries nest &lt; 20).</summary>
    public const int MaxNestingDepth = 200;

    // Keywords that Prometheus' grammar also accepts as a metric name (metric_identifier in generated_parser.y).
    private static readonly FrozenSet<string> MetricNameKeywords = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "avg", "bottomk", "by", "count", "count_values", "group", "and", "or", "unless", "max", "min", "offset",
        "quantile", "stddev", "stdvar", "sum", "topk", "without", "start", "end", "limitk", "limit_ratio");

    private static readonly FrozenDictionary<string, AggregationOperator> Aggregations =
        new Dictionary<string, AggregationOperator>(StringComparer.OrdinalIgnoreCase)
        {
            ["sum"] = AggregationOperator.Sum,
            ["avg"] = AggregationOperator.Avg,
            ["min"] = AggregationOperator.Min,
            ["max"] = AggregationOperator.Max,
            ["count"] = AggregationOperator.Count,
            ["stddev"] = AggregationOperator.Stddev,
            ["stdvar"] = AggregationOperator.Stdvar,
            ["group"] = AggregationOperator.Group,
            ["topk"] = AggregationOperator.Topk,
            ["bottomk"] = AggregationOperator.Bottomk,
            ["quantile"] = AggregationOperator.Quantile,
            ["count_values"] = AggregationOperator.CountValues,
            ["limitk"] = AggregationOperator.Limitk,
            ["limit_ratio"] = AggregationOperator.LimitRatio,
        }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Parses <paramref name="expression"/> into a syntax tree whose nodes carry source offsets.</summary>
    /// <exception cref="PromqlSyntaxException">The expression is not valid PromQL.</exception>
    public static PromqlExpr Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        return new Parser(expression).ParseAll();
    }

    private sealed class Parser(string source)
    {
        private readonly PromqlToken[] tokens =
            [.. PromqlLexer.Tokenize(source).Where(t => t.Kind != PromqlTokenKind.Comment)];

        private int index;
        private int depth;

        private PromqlToken Current => tokens[index];

        private PromqlToken Next => tokens[Math.Min(index + 1, tokens.Length - 1)];

        public PromqlExpr ParseAll()
        {
            if (Current.Kind == PromqlTokenKind.EndOfInput)
            {
                throw Error("no expression found in input", 0);
            }

            var expr = ParseBinary(0);
            return Current.Kind == PromqlTokenKind.EndOfInput ? expr : throw Unexpected(Current, null);
        }

        private PromqlExpr ParseBinary(int minPrecedence)
        {
            if (++depth > MaxNestingDepth)
            {
                throw Error($"expression nested more than {MaxNestingDepth} levels deep", Current.Offset);
            }

            var left = ParseUnary();
            while (TryBinaryOperator(Current, out var op, out var precedence) && precedence >= minPrecedence)
            {
                var opToken = Advance();
                var returnBool = false;
                if (Current.IsKeyword("bool"))
                {
                    if (precedence != 3)
                    {
                        throw Error("bool modifier can only be used on comparison operators", Current.Offset);
                    }

                    Advance();
                    returnBool = true;
                }

                VectorMatching? matching = null;
                if (Current.IsKeyword("on") || Current.IsKeyword("ignoring"))
                {
                    var on = Current.IsKeyword("on");
                    Advance();
                    var labels = ParseLabelList(out _);
                    var cardinality = VectorMatchCardinality.OneToOne;
                    IReadOnlyList<string> include = [];
                    if (Current.IsKeyword("group_left") || Current.IsKeyword("group_right"))
                    {
                        if (op is BinaryOperator.And or BinaryOperator.Or or BinaryOperator.Unless)
                        {
                            throw Error($"no grouping allowed for \"{opToken.Text}\" operation", Current.Offset);
                        }

                        cardinality = Current.IsKeyword("group_left") ? VectorMatchCardinality.ManyToOne : VectorMatchCardinality.OneToMany;
                        Advance();

                        // As in Prometheus, "(" right after group_left always opens the label list.
                        if (Current.Kind == PromqlTokenKind.LeftParen)
                        {
                            include = ParseLabelList(out _);
                        }
                    }

                    matching = new VectorMatching(on, labels, cardinality, include);
                }

                var right = ParseBinary(op == BinaryOperator.Power ? precedence : precedence + 1);
                left = new BinaryExpr(op, left, right, returnBool, matching, left.Start, right.End);
            }

            depth--;
            return left;
        }

        private PromqlExpr ParseUnary()
        {
            if (Current.Kind is PromqlTokenKind.Plus or PromqlTokenKind.Minus)
            {
                var sign = Advance();

                // Unary operators bind like '*': tighter than everything but '^' (Prometheus: %prec MUL).
                var operand = ParseBinary(PowerPrecedence);
                var op = sign.Kind == PromqlTokenKind.Plus ? UnaryOperator.Plus : UnaryOperator.Minus;
                return new UnaryExpr(op, operand, sign.Offset, operand.End);
            }

            return ParsePostfix(ParsePrimary());
        }

        private PromqlExpr ParsePrimary()
        {
            var token = Current;
            switch (token.Kind)
            {
                case PromqlTokenKind.Number:
                    Advance();
                    return new NumberLiteral(PromqlLiterals.ParseNumber(token.Text), token.Offset, token.End);
                case PromqlTokenKind.Duration:
                    Advance();
                    return new NumberLiteral(ParseDuration(token).TotalSeconds, token.Offset, token.End);
                case PromqlTokenKind.QuotedString:
                    Advance();
                    return new StringLiteral(PromqlStrings.Unquote(token.Text), token.Offset, token.End);
                case PromqlTokenKind.LeftParen:
                    Advance();
                    var inner = ParseBinary(0);
                    var close = ExpectClosingParen(token);
                    return new ParenExpr(inner, token.Offset, close.End);
                case PromqlTokenKind.LeftBrace:
                    return ParseVectorSelector(hasName: false);
                case PromqlTokenKind.Identifier when Next.Kind == PromqlTokenKind.LeftParen:
                    return ParseFunctionCall();
                case PromqlTokenKind.Identifier or PromqlTokenKind.MetricIdentifier:
                    return ParseVectorSelector(hasName: true);
                case PromqlTokenKind.Keyword when Aggregations.TryGetValue(token.Text, out var aggregation)
                    && (Next.Kind == PromqlTokenKind.LeftParen || Next.IsKeyword("by") || Next.IsKeyword("without")):
                    return ParseAggregation(aggregation);
                case PromqlTokenKind.Keyword when MetricNameKeywords.Contains(token.Text):
                    return ParseVectorSelector(hasName: true);
                default:
                    throw Unexpected(token, null);
            }
        }

        private PromqlExpr ParsePostfix(PromqlExpr expr)
        {
            while (true)
            {
                if (Current.Kind == PromqlTokenKind.LeftBracket)
                {
                    expr = ParseRangeOrSubquery(expr);
                }
                else if (Current.IsKeyword("offset"))
                {
                    var keyword = Advance();
                    var (offset, at) = Modifiers(expr, "offset", keyword);
                    if (offset is not null)
                    {
                        throw Error("offset may not be set multiple times", keyword.Offset);
                    }

                    var negative = Current.Kind == PromqlTokenKind.Minus;
                    if (negative)
                    {
                        Advance();
                    }

                    var durationToken = Current;
                    var duration = ParseDurationOperand("offset");
                    expr = WithModifiers(expr, negative ? duration.Negate() : duration, at, durationToken.End);
                }
                else if (Current.Kind == PromqlTokenKind.At)
                {
                    var atToken = Advance();
                    var (offset, at) = Modifiers(expr, "@", atToken);
                    if (at is not null)
                    {
                        throw Error("@ <timestamp> may not be set multiple times", atToken.Offset);
                    }

                    var (modifier, end) = ParseAtOperand();
                    expr = WithModifiers(expr, offset, modifier, end);
                }
                else
                {
                    return expr;
                }
            }
        }

        private PromqlExpr ParseRangeOrSubquery(PromqlExpr expr)
        {
            var open = Advance();
            var range = ParseDurationOperand("range");
            if (Current.Kind == PromqlTokenKind.Colon)
            {
                Advance();
                TimeSpan? step = Current.Kind == PromqlTokenKind.RightBracket ? null : ParseDurationOperand("subquery step");
                var closeSubquery = Expect(PromqlTokenKind.RightBracket, "in subquery selector, expected \"]\"");
                if (expr is MatrixSelector or SubqueryExpr)
                {
                    throw Error("subquery is only allowed on an instant vector, got a range vector", open.Offset);
                }

                return new SubqueryExpr(expr, range, step, expr.Start, closeSubquery.End);
            }

            var close = Expect(PromqlTokenKind.RightBracket, "in range selector, expected \":\" or \"]\"");
            if (expr is not VectorSelector selector)
            {
                throw Error("ranges only allowed for vector selectors", open.Offset);
            }

            if (selector.Offset is not null || selector.At is not null)
            {
                throw Error("no offset or @ modifiers allowed before range", open.Offset);
            }

            return new MatrixSelector(selector, range, selector.Start, close.End);
        }

        private (AtModifier Modifier, int End) ParseAtOperand()
        {
            if (Current.IsKeyword("start") || Current.IsKeyword("end"))
            {
                var kind = Current.IsKeyword("start") ? AtModifierKind.Start : AtModifierKind.End;
                Advance();
                Expect(PromqlTokenKind.LeftParen, "after @ start/end, expected \"(\"");
                var close = Expect(PromqlTokenKind.RightParen, "after @ start(/end(, expected \")\"");
                return (new AtModifier(kind, 0), close.End);
            }

            var sign = 1.0;
            if (Current.Kind is PromqlTokenKind.Plus or PromqlTokenKind.Minus)
            {
                sign = Advance().Kind == PromqlTokenKind.Minus ? -1 : 1;
            }

            var number = Current;
            if (number.Kind != PromqlTokenKind.Number)
            {
                throw Unexpected(number, "in @ modifier, expected a unix timestamp, start() or end()");
            }

            Advance();
            var value = sign * PromqlLiterals.ParseNumber(number.Text);
            if (!double.IsFinite(value))
            {
                throw Error("timestamp out of bounds for @ modifier", number.Offset);
            }

            return (new AtModifier(AtModifierKind.Timestamp, value), number.End);
        }

        private FunctionCall ParseFunctionCall()
        {
            var name = Advance();
            var open = Advance();
            var (arguments, close) = ParseArguments(open, "function call");
            return new FunctionCall(name.Text, arguments, name.Offset, close.End);
        }

        private AggregateExpr ParseAggregation(AggregationOperator op)
        {
            var opToken = Advance();
            IReadOnlyList<string> grouping = [];
            var without = false;
            var hasModifier = Current.IsKeyword("by") || Current.IsKeyword("without");
            if (hasModifier)
            {
                without = Advance().IsKeyword("without");
                grouping = ParseLabelList(out _);
            }

            if (Current.Kind != PromqlTokenKind.LeftParen)
            {
                throw Unexpected(Current, "in aggregation, expected \"(\"");
            }

            var (arguments, close) = ParseArguments(Advance(), "aggregation");
            var end = close.End;
            if (!hasModifier && (Current.IsKeyword("by") || Current.IsKeyword("without")))
            {
                without = Advance().IsKeyword("without");
                grouping = ParseLabelList(out end);
            }

            if (arguments.Count == 0)
            {
                throw Error("no arguments for aggregate expression provided", close.Offset);
            }

            var expected = op is AggregationOperator.Topk or AggregationOperator.Bottomk or AggregationOperator.Quantile
                or AggregationOperator.CountValues or AggregationOperator.Limitk or AggregationOperator.LimitRatio ? 2 : 1;
            if (arguments.Count != expected)
            {
                throw Error(
                    $"wrong number of arguments for aggregate expression provided, expected {expected}, got {arguments.Count}",
                    opToken.Offset);
            }

            return expected == 2
                ? new AggregateExpr(op, arguments[0], arguments[1], grouping, without, opToken.Offset, end)
                : new AggregateExpr(op, null, arguments[0], grouping, without, opToken.Offset, end);
        }

        private (List<PromqlExpr> Arguments, PromqlToken Close) ParseArguments(PromqlToken open, string context)
        {
            var arguments = new List<PromqlExpr>();
            if (Current.Kind == PromqlTokenKind.RightParen)
            {
                return (arguments, Advance());
            }

            while (true)
            {
                arguments.Add(ParseBinary(0));
                if (Current.Kind == PromqlTokenKind.Comma)
                {
                    var comma = Advance();
                    if (Current.Kind == PromqlTokenKind.RightParen)
                    {
                        throw Error($"trailing commas not allowed in {context} args", comma.Offset);
                    }

                    continue;
                }

                if (Current.Kind != PromqlTokenKind.RightParen)
                {
                    throw Current.Kind == PromqlTokenKind.EndOfInput
                        ? Error("unclosed left parenthesis", open.Offset)
                        : Unexpected(Current, $"in {context}, expected \",\" or \")\"");
                }

                return (arguments, Advance());
            }
        }

        // ( label, label, ... ) after by/without/on/ignoring/group_left/group_right; a trailing comma is allowed.
        private List<string> ParseLabelList(out int end)
        {
            var open = Current;
            if (open.Kind != PromqlTokenKind.LeftParen)
            {
                throw Unexpected(open, "in grouping opts, expected \"(\"");
            }

            Advance();
            var labels = new List<string>();
            while (Current.Kind != PromqlTokenKind.RightParen)
            {
                var label = Current;
                labels.Add(label.Kind switch
                {
                    PromqlTokenKind.Identifier or PromqlTokenKind.Keyword => label.Text,
                    PromqlTokenKind.QuotedString => PromqlStrings.Unquote(label.Text),
                    PromqlTokenKind.EndOfInput => throw Error("unclosed left parenthesis", open.Offset),
                    _ => throw Unexpected(label, "in grouping opts, expected label"),
                });
                Advance();
                if (Current.Kind == PromqlTokenKind.Comma)
                {
                    Advance();
                }
                else if (Current.Kind != PromqlTokenKind.RightParen)
                {
                    throw Current.Kind == PromqlTokenKind.EndOfInput
                        ? Error("unclosed left parenthesis", open.Offset)
                        : Unexpected(Current, "in grouping opts, expected \",\" or \")\"");
                }
            }

            end = Advance().End;
            return labels;
        }

        private VectorSelector ParseVectorSelector(bool hasName)
        {
            var start = Current.Offset;
            string? name = null;
            var nameEnd = start;
            if (hasName)
            {
                var nameToken = Advance();
                name = nameToken.Text;
                nameEnd = nameToken.End;
            }

            if (Current.Kind != PromqlTokenKind.LeftBrace)
            {
                return new VectorSelector(name, nameEnd, [], -1, -1, nameEnd, start, nameEnd);
            }

            var open = Advance();
            var matchers = new List<LabelMatcher>();
            var trailingComma = -1;
            while (Current.Kind != PromqlTokenKind.RightBrace)
            {
                matchers.Add(ParseLabelMatcher());
                if (Current.Kind == PromqlTokenKind.Comma)
                {
                    var comma = Advance();
                    trailingComma = Current.Kind == PromqlTokenKind.RightBrace ? comma.Offset : -1;
                }
                else if (Current.Kind != PromqlTokenKind.RightBrace)
                {
                    throw Unexpected(Current, "in label matching, expected \",\" or \"}\"");
                }
            }

            var close = Advance();
            var nameMatcher = matchers.Find(m => m.Name == "__name__");
            if (name is not null && nameMatcher is not null)
            {
                throw Error($"metric name must not be set twice: {PromqlStrings.ForDisplay(name)} or {PromqlStrings.ForDisplay(nameMatcher.Value)}", nameMatcher.Start);
            }

            if (name is null && matchers.Count == 0)
            {
                throw Error("vector selector must contain at least one non-empty matcher", open.Offset);
            }

            name ??= matchers.Find(m => m.Name == "__name__" && m.Operator == LabelMatchOperator.Equal)?.Value;
            return new VectorSelector(name, nameEnd, matchers, open.Offset, trailingComma, close.End, start, close.End);
        }

        private LabelMatcher ParseLabelMatcher()
        {
            var label = Current;
            if (label.Kind == PromqlTokenKind.QuotedString && Next.Kind is PromqlTokenKind.Comma or PromqlTokenKind.RightBrace)
            {
                // Prometheus 3: a bare quoted metric name, {"my.metric"}.
                Advance();
                return new LabelMatcher("__name__", LabelMatchOperator.Equal, PromqlStrings.Unquote(label.Text), label.Offset, label.End);
            }

            var labelName = label.Kind switch
            {
                PromqlTokenKind.Identifier => label.Text,
                PromqlTokenKind.QuotedString => PromqlStrings.Unquote(label.Text),
                _ => throw Unexpected(label, "in label matching, expected label name or \"}\""),
            };
            Advance();
            var op = Current.Kind switch
            {
                PromqlTokenKind.Assign => LabelMatchOperator.Equal,
                PromqlTokenKind.NotEqual => LabelMatchOperator.NotEqual,
                PromqlTokenKind.RegexMatch => LabelMatchOperator.RegexMatch,
                PromqlTokenKind.RegexNoMatch => LabelMatchOperator.RegexNoMatch,
                _ => throw Unexpected(Current, "in label matching, expected label matching operator"),
            };
            Advance();
            var value = Expect(PromqlTokenKind.QuotedString, "in label matching, expected string");
            return new LabelMatcher(labelName, op, PromqlStrings.Unquote(value.Text), label.Offset, value.End);
        }

        private (TimeSpan? Offset, AtModifier? At) Modifiers(PromqlExpr expr, string modifier, PromqlToken token) => expr switch
        {
            VectorSelector v => (v.Offset, v.At),
            MatrixSelector m => (m.Offset, m.At),
            SubqueryExpr s => (s.Offset, s.At),
            _ => throw Error(
                $"{modifier} modifier must be preceded by an instant vector selector or range vector selector or a subquery",
                token.Offset),
        };

        private static PromqlExpr WithModifiers(PromqlExpr expr, TimeSpan? offset, AtModifier? at, int end) => expr switch
        {
            VectorSelector v => v.WithModifiers(offset, at, end),
            MatrixSelector m => m.WithModifiers(offset, at, end),
            _ => ((SubqueryExpr)expr).WithModifiers(offset, at, end),
        };

        private TimeSpan ParseDurationOperand(string context)
        {
            var token = Current;
            if (token.Kind == PromqlTokenKind.Duration)
            {
                Advance();
                return ParseDuration(token);
            }

            if (token.Kind != PromqlTokenKind.Number)
            {
                throw Unexpected(token, $"in {context}, expected duration");
            }

            // A number of seconds where a duration is expected (Prometheus 3 accepts both).
            Advance();
            var value = PromqlLiterals.ParseNumber(token.Text);
            return PromqlLiterals.SecondsToDuration(value) is { } duration && value >= 0
                ? duration
                : throw Error($"{context} must be a non-negative number of seconds below {TimeSpan.MaxValue.TotalSeconds:F0}", token.Offset);
        }

        private TimeSpan ParseDuration(PromqlToken token) =>
            PromqlLiterals.TryParseDuration(token.Text)
            ?? throw Error($"not a valid duration string: {PromqlStrings.ForDisplay(token.Text)}", token.Offset);

        private PromqlToken ExpectClosingParen(PromqlToken open) => Current.Kind switch
        {
            PromqlTokenKind.RightParen => Advance(),
            PromqlTokenKind.EndOfInput => throw Error("unclosed left parenthesis", open.Offset),
            _ => throw Unexpected(Current, "in parenthesised expression, expected \")\""),
        };

        private PromqlToken Expect(PromqlTokenKind kind, string context) =>
            Current.Kind == kind ? Advance() : throw Unexpected(Current, context);

        private PromqlToken Advance()
        {
            var token = tokens[index];
            if (index < tokens.Length - 1)
            {
                index++;
            }

            return token;
        }

        private static bool TryBinaryOperator(PromqlToken token, out BinaryOperator op, out int precedence)
        {
            (op, precedence) = token.Kind switch
            {
                PromqlTokenKind.Caret => (BinaryOperator.Power, PowerPrecedence),
                PromqlTokenKind.Star => (BinaryOperator.Multiply, 5),
                PromqlTokenKind.Slash => (BinaryOperator.Divide, 5),
                PromqlTokenKind.Percent => (BinaryOperator.Modulo, 5),
                PromqlTokenKind.Plus => (BinaryOperator.Add, 4),
                PromqlTokenKind.Minus => (BinaryOperator.Subtract, 4),
                PromqlTokenKind.EqualEqual => (BinaryOperator.Equal, 3),
                PromqlTokenKind.NotEqual => (BinaryOperator.NotEqual, 3),
                PromqlTokenKind.Greater => (BinaryOperator.Greater, 3),
                PromqlTokenKind.GreaterOrEqual => (BinaryOperator.GreaterOrEqual, 3),
                PromqlTokenKind.Less => (BinaryOperator.Less, 3),
                PromqlTokenKind.LessOrEqual => (BinaryOperator.LessOrEqual, 3),
                PromqlTokenKind.Keyword when token.IsKeyword("atan2") => (BinaryOperator.Atan2, 5),
                PromqlTokenKind.Keyword when token.IsKeyword("and") => (BinaryOperator.And, 2),
                PromqlTokenKind.Keyword when token.IsKeyword("unless") => (BinaryOperator.Unless, 2),
                PromqlTokenKind.Keyword when token.IsKeyword("or") => (BinaryOperator.Or, 1),
                _ => (default, -1),
            };
            return precedence > 0;
        }

        private PromqlSyntaxException Unexpected(PromqlToken token, string? context)
        {
            var what = token.Kind switch
            {
                PromqlTokenKind.EndOfInput => "end of input",
                PromqlTokenKind.Identifier => $"identifier {PromqlStrings.ForDisplay(token.Text, 32)}",
                PromqlTokenKind.MetricIdentifier => $"metric name {PromqlStrings.ForDisplay(token.Text, 32)}",
                PromqlTokenKind.Keyword => $"keyword {PromqlStrings.ForDisplay(token.Text, 32)}",
                PromqlTokenKind.Number => $"number {PromqlStrings.ForDisplay(token.Text, 32)}",
                PromqlTokenKind.Duration => $"duration {PromqlStrings.ForDisplay(token.Text, 32)}",
                PromqlTokenKind.QuotedString => $"string {PromqlStrings.ForDisplay(token.Text, 32)}",
                _ => PromqlStrings.ForDisplay(token.Text),
            };
            return Error(context is null ? $"unexpected {what}" : $"unexpected {what} {context}", token.Offset);
        }

        private PromqlSyntaxException Error(string reason, int offset) => new(reason, offset, source);
    }
}
