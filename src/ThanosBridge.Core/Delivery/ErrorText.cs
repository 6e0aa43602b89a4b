namespace ThanosBridge.Core.Delivery;

/// <summary>Errors as the operator sees them in logs, the ledger and the run summary.</summary>
public static class ErrorText
{
    /// <summary>An exception and its inner ones (up to four) as one line, each message once.</summary>
    public static string Describe(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var parts = new List<string>();
        for (var x = e; x is not null && parts.Count < 4; x = x.InnerException)
        {
            if (parts.Count == 0 || !parts[^1].Contains(x.Message, StringComparison.Ordinal))
            {
                parts.Add(x.Message);
            }
        }

        return string.Join(": ", parts).ReplaceLineEndings(" ");
    }
}
