namespace ThanosBridge.Core.Collection.Promql;

/// <summary>An expression cannot be rewritten, e.g. because it already selects the cluster label itself.</summary>
public sealed class PromqlRewriteException : Exception
{
    public PromqlRewriteException()
    {
    }

    public PromqlRewriteException(string message)
        : base(message)
    {
    }

    public PromqlRewriteException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PromqlRewriteException(string message, string labelName, int offset)
        : base(message)
    {
        LabelName = labelName;
        Offset = offset;
    }

    public string? LabelName { get; }

    /// <summary>Offset in the expression of the construct that could not be rewritten.</summary>
    public int Offset { get; }
}
