namespace ThanosBridge.Core.Collection.Promql;

/// <summary>The kinds of token of <see cref="PromqlLexer"/>, following Prometheus' <c>promql/parser/lex.go</c>.</summary>
public enum PromqlTokenKind
{
    /// <summary>A name without a colon that is not a keyword; inside braces every label name.</summary>
    Identifier,

    /// <summary>A name containing a colon (recording-rule style), e.g. <c>cost:pod_labels</c>.</summary>
    MetricIdentifier,

    /// <summary>A keyword (matched case-insensitively): operators, aggregators and modifiers.</summary>
    Keyword,

    /// <summary>A number, including hex, exponents, <c>Inf</c> and <c>NaN</c>.</summary>
    Number,

    /// <summary>A duration such as <c>5m</c> or <c>1h30m</c>.</summary>
    Duration,

    /// <summary>A string in <c>"</c>, <c>'</c> or backticks, quotes included.</summary>
    QuotedString,

    /// <summary>A <c>#</c> comment up to (not including) the end of the line.</summary>
    Comment,

    LeftParen,
    RightParen,
    LeftBrace,
    RightBrace,
    LeftBracket,
    RightBracket,
    Comma,

    /// <summary>The colon of a subquery, <c>[15m:5m]</c>.</summary>
    Colon,

    At,

    /// <summary><c>=</c>: a label matcher (outside braces it is always a syntax error).</summary>
    Assign,

    /// <summary><c>!=</c>: a label matcher inside braces, a comparison outside.</summary>
    NotEqual,

    RegexMatch,
    RegexNoMatch,
    EqualEqual,
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Caret,
    EndOfInput,
}
