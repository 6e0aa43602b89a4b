namespace ThanosBridge.Core.Collection.Promql;

public enum LabelMatchOperator
{
    /// <summary><c>=</c></summary>
    Equal,

    /// <summary><c>!=</c></summary>
    NotEqual,

    /// <summary><c>=~</c></summary>
    RegexMatch,

    /// <summary><c>!~</c></summary>
    RegexNoMatch,
}

/// <summary>
/// One label matcher inside braces, spanning <see cref="Start"/>..<see cref="End"/> (name through value). A bare
/// quoted metric name (<c>{"my.metric"}</c>, Prometheus 3) is the matcher <c>__name__="my.metric"</c>.
/// </summary>
public sealed record LabelMatcher(string Name, LabelMatchOperator Operator, string Value, int Start, int End);

public enum AtModifierKind
{
    Timestamp,

    /// <summary><c>@ start()</c></summary>
    Start,

    /// <summary><c>@ end()</c></summary>
    End,
}

/// <summary>An <c>@</c> modifier; <see cref="Timestamp"/> is in unix seconds when the kind is Timestamp.</summary>
public sealed record AtModifier(AtModifierKind Kind, double Timestamp);

/// <summary>
/// An instant vector selector: a metric name, label matchers in braces, or both. Offsets of the braces and of a
/// trailing comma are kept so that a matcher can be inserted without re-printing the selector.
/// </summary>
public sealed class VectorSelector : PromqlExpr
{
    internal VectorSelector(
        string? metricName,
        int nameEnd,
        IReadOnlyList<LabelMatcher> matchers,
        int openBrace,
        int trailingComma,
        int selectorEnd,
        int start,
        int end,
        TimeSpan? offset = null,
        AtModifier? at = null)
        : base(start, end)
    {
        MetricName = metricName;
        NameEnd = nameEnd;
        Matchers = matchers;
        OpenBraceOffset = openBrace;
        TrailingCommaOffset = trailingComma;
        SelectorEnd = selectorEnd;
        Offset = offset;
        At = at;
    }

    /// <summary>The metric name, written before the braces or as <c>__name__="…"</c>; null if neither.</summary>
    public string? MetricName { get; }

    public IReadOnlyList<LabelMatcher> Matchers { get; }

    public bool HasBraces => OpenBraceOffset >= 0;

    /// <summary>Offset of <c>{</c>, or -1 when the selector has no braces.</summary>
    public int OpenBraceOffset { get; }

    /// <summary>Offset of a comma directly before <c>}</c> (<c>{a="b",}</c>), or -1.</summary>
    public int TrailingCommaOffset { get; }

    public TimeSpan? Offset { get; }

    public AtModifier? At { get; }

    /// <summary>Where the selector's name and braces end (before any modifier).</summary>
    public int SelectorEnd { get; }

    /// <summary>Offset just after the metric name written before the braces (equals Start if none).</summary>
    internal int NameEnd { get; }

    public override IReadOnlyList<PromqlExpr> Children => [];

    internal VectorSelector WithModifiers(TimeSpan? offset, AtModifier? at, int end) =>
        new(MetricName, NameEnd, Matchers, OpenBraceOffset, TrailingCommaOffset, SelectorEnd, Start, end, offset, at);
}

/// <summary>A range vector selector, <c>selector[range]</c>, with its own offset and @ modifiers.</summary>
public sealed class MatrixSelector(VectorSelector selector, TimeSpan range, int start, int end, TimeSpan? offset = null, AtModifier? at = null)
    : PromqlExpr(start, end)
{
    public VectorSelector Selector { get; } = selector;

    public TimeSpan Range { get; } = range;

    public TimeSpan? Offset { get; } = offset;

    public AtModifier? At { get; } = at;

    public override IReadOnlyList<PromqlExpr> Children => [Selector];

    internal MatrixSelector WithModifiers(TimeSpan? newOffset, AtModifier? newAt, int newEnd) =>
        new(Selector, Range, Start, newEnd, newOffset, newAt);
}

/// <summary>A subquery, <c>expr[range:step]</c>; <see cref="Step"/> is null for the default step (<c>[15m:]</c>).</summary>
public sealed class SubqueryExpr(PromqlExpr inner, TimeSpan range, TimeSpan? step, int start, int end, TimeSpan? offset = null, AtModifier? at = null)
    : PromqlExpr(start, end)
{
    public PromqlExpr Inner { get; } = inner;

    public TimeSpan Range { get; } = range;

    public TimeSpan? Step { get; } = step;

    public TimeSpan? Offset { get; } = offset;

    public AtModifier? At { get; } = at;

    public override IReadOnlyList<PromqlExpr> Children => [Inner];

    internal SubqueryExpr WithModifiers(TimeSpan? newOffset, AtModifier? newAt, int newEnd) =>
        new(Inner, Range, Step, Start, newEnd, newOffset, newAt);
}
