namespace ThanosBridge.Core.Collection.Promql;

/// <summary>
/// A node of a parsed PromQL expression. <see cref="Start"/> and <see cref="End"/> (exclusive) locate the node
/// in the original text, so that rewriters can splice the text instead of re-printing it.
/// </summary>
public abstract class PromqlExpr
{
    private protected PromqlExpr(int start, int end)
    {
        Start = start;
        End = end;
    }

    public int Start { get; }

    public int End { get; }

    /// <summary>The direct sub-expressions, in source order.</summary>
    public abstract IReadOnlyList<PromqlExpr> Children { get; }

    /// <summary>This node and every node below it, depth first, in source order.</summary>
    public IEnumerable<PromqlExpr> DescendantsAndSelf()
    {
        var stack = new Stack<PromqlExpr>();
        stack.Push(this);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            yield return node;
            for (var i = node.Children.Count - 1; i >= 0; i--)
            {
                stack.Push(node.Children[i]);
            }
        }
    }

    /// <summary>Each node below this one mapped to the node it is a child of (by reference).</summary>
    public IReadOnlyDictionary<PromqlExpr, PromqlExpr> Parents()
    {
        var parents = new Dictionary<PromqlExpr, PromqlExpr>(ReferenceEqualityComparer.Instance);
        foreach (var node in DescendantsAndSelf())
        {
            foreach (var child in node.Children)
            {
                parents[child] = node;
            }
        }

        return parents;
    }

    /// <summary>The source text of this node.</summary>
    public string TextIn(string expression) => expression[Start..End];
}

/// <summary>A number literal, e.g. <c>1</c>, <c>0x1F</c>, <c>1e3</c>, <c>Inf</c>, or a duration used as seconds.</summary>
public sealed class NumberLiteral(double value, int start, int end) : PromqlExpr(start, end)
{
    public double Value { get; } = value;

    public override IReadOnlyList<PromqlExpr> Children => [];
}

/// <summary>A string literal; <see cref="Value"/> is the decoded string.</summary>
public sealed class StringLiteral(string value, int start, int end) : PromqlExpr(start, end)
{
    public string Value { get; } = value;

    public override IReadOnlyList<PromqlExpr> Children => [];
}

/// <summary>A parenthesised expression.</summary>
public sealed class ParenExpr(PromqlExpr inner, int start, int end) : PromqlExpr(start, end)
{
    public PromqlExpr Inner { get; } = inner;

    public override IReadOnlyList<PromqlExpr> Children => [Inner];
}

public enum UnaryOperator
{
    Plus,
    Minus,
}

/// <summary>A unary <c>+</c> or <c>-</c>.</summary>
public sealed class UnaryExpr(UnaryOperator op, PromqlExpr operand, int start, int end) : PromqlExpr(start, end)
{
    public UnaryOperator Operator { get; } = op;

    public PromqlExpr Operand { get; } = operand;

    public override IReadOnlyList<PromqlExpr> Children => [Operand];
}

/// <summary>A function call; any identifier followed by <c>(</c> (the parser does not check the function exists).</summary>
public sealed class FunctionCall(string name, IReadOnlyList<PromqlExpr> arguments, int start, int end) : PromqlExpr(start, end)
{
    public string Name { get; } = name;

    public IReadOnlyList<PromqlExpr> Arguments { get; } = arguments;

    public override IReadOnlyList<PromqlExpr> Children => Arguments;
}
