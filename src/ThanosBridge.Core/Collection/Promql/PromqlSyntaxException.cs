namespace ThanosBridge.Core.Collection.Promql;

/// <summary>A PromQL expression could not be tokenized or parsed.</summary>
public sealed class PromqlSyntaxException : FormatException
{
    public PromqlSyntaxException()
        : this("invalid PromQL", 0)
    {
    }

    public PromqlSyntaxException(string message)
        : this(message, 0)
    {
    }

    public PromqlSyntaxException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
    }

    public PromqlSyntaxException(string reason, int offset, string? expression = null)
        : base(FormatMessage(reason, offset, expression))
    {
        Reason = reason;
        Offset = offset;
    }

    /// <summary>What is wrong, without the position.</summary>
    public string Reason { get; }

    /// <summary>The zero-based character offset in the expression where the problem was found.</summary>
    public int Offset { get; }

    private static string FormatMessage(string reason, int offset, string? expression)
    {
        var message = $"PromQL syntax error at offset {offset}: {reason}";
        if (expression is null || offset >= expression.Length)
        {
            return message;
        }

        // A short excerpt locates the problem in long catalog queries without dumping the whole expression.
        return $"{message} (near {PromqlStrings.ForDisplay(expression[offset..], 24)})";
    }
}
