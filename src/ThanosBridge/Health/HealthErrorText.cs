using System.Text;
using System.Text.RegularExpressions;

namespace ThanosBridge.Health;

/// <summary>
/// Turns a probe's exception into the one-line error text /readyz shows and the log carries: the exception type and
/// message (and the innermost cause), with URL credentials and every known secret value replaced by
/// <c>&lt;redacted&gt;</c>, whitespace collapsed, at most <see cref="MaxLength"/> characters.
/// </summary>
public static partial class HealthErrorText
{
    public const int MaxLength = 300;
    private const string Redacted = "<redacted>";

    public static string From(Exception exception, IEnumerable<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var text = new StringBuilder(exception.GetType().Name).Append(": ").Append(exception.Message);
        var inner = exception.InnerException;
        while (inner?.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        if (inner is not null && !exception.Message.Contains(inner.Message, StringComparison.Ordinal))
        {
            text.Append(" (").Append(inner.GetType().Name).Append(": ").Append(inner.Message).Append(')');
        }

        return Sanitize(text.ToString(), secrets);
    }

    /// <summary>Redacts <paramref name="secrets"/> and URL credentials, collapses whitespace and truncates.</summary>
    public static string Sanitize(string text, IEnumerable<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(secrets);
        foreach (var secret in secrets.Where(s => !string.IsNullOrEmpty(s)).OrderByDescending(s => s.Length))
        {
            text = text.Replace(secret, Redacted, StringComparison.Ordinal);
        }

        text = UrlCredentials().Replace(text, "://" + Redacted + "@");
        text = Whitespace().Replace(text, " ").Trim();
        return text.Length <= MaxLength ? text : string.Concat(text.AsSpan(0, MaxLength - 1), "…");
    }

    [GeneratedRegex("://[^/@\\s]+@")]
    private static partial Regex UrlCredentials();

    [GeneratedRegex("\\s+")]
    private static partial Regex Whitespace();
}
