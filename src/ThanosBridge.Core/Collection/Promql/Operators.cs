namespace ThanosBridge.Core.Collection.Promql;

public enum AggregationOperator
{
    Sum,
    Avg,
    Min,
    Max,
    Count,
    Stddev,
    Stdvar,
    Group,
    Topk,
    Bottomk,
    Quantile,
    CountValues,
    Limitk,
    LimitRatio,
}

/// <summary>An aggregation, e.g. <c>sum by (pod) (x)</c> or <c>topk(5, x) without (node)</c>.</summary>
public sealed class AggregateExpr(
    AggregationOperator op,
    PromqlExpr? parameter,
    PromqlExpr argument,
    IReadOnlyList<string> grouping,
    bool without,
    int start,
    int end) : PromqlExpr(start, end)
{
    public AggregationOperator Operator { get; } = op;

    /// <summary>The first argument of topk, bottomk, quantile, count_values, limitk and limit_ratio.</summary>
    public PromqlExpr? Parameter { get; } = parameter;

    public PromqlExpr Argument { get; } = argument;

    /// <summary>The <c>by</c> labels, or the <c>without</c> labels when <see cref="Without"/> is true.</summary>
    public IReadOnlyList<string> Grouping { get; } = grouping;

    public bool Without { get; } = without;

    public override IReadOnlyList<PromqlExpr> Children => Parameter is null ? [Argument] : [Parameter, Argument];
}

public enum BinaryOperator
{
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
    Power,
    Atan2,
    Equal,
    NotEqual,
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
    And,
    Or,
    Unless,
}

public enum VectorMatchCardinality
{
    OneToOne,

    /// <summary><c>group_left</c></summary>
    ManyToOne,

    /// <summary><c>group_right</c></summary>
    OneToMany,
}

/// <summary><c>on(…)</c>/<c>ignoring(…)</c> with an optional <c>group_left(…)</c>/<c>group_right(…)</c>.</summary>
public sealed record VectorMatching(bool On, IReadOnlyList<string> MatchingLabels, VectorMatchCardinality Cardinality, IReadOnlyList<string> Include);

/// <summary>A binary operation, with the <c>bool</c> modifier and vector matching when written.</summary>
public sealed class BinaryExpr(
    BinaryOperator op,
    PromqlExpr left,
    PromqlExpr right,
    bool returnBool,
    VectorMatching? matching,
    int start,
    int end) : PromqlExpr(start, end)
{
    public BinaryOperator Operator { get; } = op;

    public PromqlExpr Left { get; } = left;

    public PromqlExpr Right { get; } = right;

    public bool ReturnBool { get; } = returnBool;

    public VectorMatching? Matching { get; } = matching;

    public override IReadOnlyList<PromqlExpr> Children => [Left, Right];
}
