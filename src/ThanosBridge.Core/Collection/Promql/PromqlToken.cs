namespace ThanosBridge.Core.Collection.Promql;

/// <summary>One token of a PromQL expression: its kind, its offset in the expression and its exact text.</summary>
public readonly record struct PromqlToken(PromqlTokenKind Kind, int Offset, string Text)
{
    public int End => Offset + Text.Length;

    /// <summary>Whether this is the keyword <paramref name="keyword"/> (keywords are case-insensitive in PromQL).</summary>
    public bool IsKeyword(string keyword) =>
        Kind == PromqlTokenKind.Keyword && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);

    public override string ToString() => $"{Kind} {Text} @{Offset}";
}
