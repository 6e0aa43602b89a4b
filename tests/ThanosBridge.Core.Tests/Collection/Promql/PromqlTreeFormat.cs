using System.Globalization;
using ThanosBridge.Core.Collection.Promql;

namespace ThanosBridge.Core.Tests.Collection.Promql;

/// <summary>A compact S-expression of a parse tree, so that table tests can state the expected structure in one line.</summary>
internal static class PromqlTreeFormat
{
    public static string Of(PromqlExpr expr) => expr switch
    {
        NumberLiteral n => n.Value.ToString("R", CultureInfo.InvariantCulture),
        StringLiteral s => "'" + s.Value + "'",
        ParenExpr p => $"(paren {Of(p.Inner)})",
        UnaryExpr u => $"({(u.Operator == UnaryOperator.Minus ? "neg" : "pos")} {Of(u.Operand)})",
        FunctionCall f => f.Arguments.Count == 0 ? $"({f.Name})" : $"({f.Name} {string.Join(" ", f.Arguments.Select(Of))})",
        VectorSelector v => Selector(v) + Modifiers(v.Offset, v.At),
        MatrixSelector m => $"{Selector(m.Selector)}[{Duration(m.Range)}]{Modifiers(m.Offset, m.At)}",
        SubqueryExpr q => $"(subquery {Of(q.Inner)} {Duration(q.Range)}:{(q.Step is { } s ? Duration(s) : "")}){Modifiers(q.Offset, q.At)}",
        AggregateExpr a => Aggregate(a),
        BinaryExpr b => Binary(b),
        _ => throw new ArgumentOutOfRangeException(nameof(expr), expr.GetType().Name),
    };

    private static string Selector(VectorSelector v)
    {
        var name = v.HasBraces && v.Matchers.Any(m => m.Name == "__name__") ? "" : v.MetricName ?? "";
        return v.Matchers.Count == 0
            ? name
            : name + "{" + string.Join(",", v.Matchers.Select(m => $"{m.Name}{Op(m.Operator)}'{m.Value}'")) + "}";
    }

    private static string Op(LabelMatchOperator op) => op switch
    {
        LabelMatchOperator.Equal => "=",
        LabelMatchOperator.NotEqual => "!=",
        LabelMatchOperator.RegexMatch => "=~",
        _ => "!~",
    };

    private static string Aggregate(AggregateExpr a)
    {
        var grouping = a.Grouping.Count == 0 && !a.Without ? "" : $" {(a.Without ? "without" : "by")}({string.Join(",", a.Grouping)})";
        var parameter = a.Parameter is null ? "" : " " + Of(a.Parameter);
        return $"({a.Operator.ToString().ToLowerInvariant()}{grouping}{parameter} {Of(a.Argument)})";
    }

    private static string Binary(BinaryExpr b)
    {
        var op = b.Operator switch
        {
            BinaryOperator.Add => "+",
            BinaryOperator.Subtract => "-",
            BinaryOperator.Multiply => "*",
            BinaryOperator.Divide => "/",
            BinaryOperator.Modulo => "%",
            BinaryOperator.Power => "^",
            BinaryOperator.Equal => "==",
            BinaryOperator.NotEqual => "!=",
            BinaryOperator.Greater => ">",
            BinaryOperator.GreaterOrEqual => ">=",
            BinaryOperator.Less => "<",
            BinaryOperator.LessOrEqual => "<=",
            _ => b.Operator.ToString().ToLowerInvariant(),
        };
        var modifiers = b.ReturnBool ? " bool" : "";
        if (b.Matching is { } m)
        {
            modifiers += $" {(m.On ? "on" : "ignoring")}({string.Join(",", m.MatchingLabels)})";
            modifiers += m.Cardinality switch
            {
                VectorMatchCardinality.ManyToOne => $" group_left({string.Join(",", m.Include)})",
                VectorMatchCardinality.OneToMany => $" group_right({string.Join(",", m.Include)})",
                _ => "",
            };
        }

        return $"({op}{modifiers} {Of(b.Left)} {Of(b.Right)})";
    }

    private static string Modifiers(TimeSpan? offset, AtModifier? at)
    {
        var text = offset is { } o ? $" offset {(o < TimeSpan.Zero ? "-" : "")}{Duration(o.Duration())}" : "";
        return at switch
        {
            null => text,
            { Kind: AtModifierKind.Start } => text + " @ start()",
            { Kind: AtModifierKind.End } => text + " @ end()",
            _ => text + " @ " + at.Timestamp.ToString("R", CultureInfo.InvariantCulture),
        };
    }

    private static string Duration(TimeSpan d) => d.TotalSeconds.ToString("R", CultureInfo.InvariantCulture) + "s";
}
