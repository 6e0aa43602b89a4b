using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace ThanosBridge.Core.Collection.Promql;

/// <summary>
/// Decides whether a cluster id may be used in a query: 1 to 253 characters from <c>[A-Za-z0-9._:-]</c>. The
/// set covers ACM cluster names (DNS labels) and cluster UUIDs and leaves nothing that PromQL or a log line
/// would interpret: no quotes, backslashes, braces, whitespace, control or non-ASCII characters.
/// </summary>
public static class ClusterIdValidator
{
    public const int MaxLength = 253;

    public static bool IsValid([NotNullWhen(true)] string? id, out string reason)
    {
        reason = id switch
        {
            null => "it is null",
            "" => "it is empty",
            { Length: > MaxLength } => $"it is {id.Length} characters long; the maximum is {MaxLength}",
            _ => FindInvalidCharacter(id),
        };
        return reason.Length == 0;
    }

    /// <exception cref="InvalidClusterIdException"><paramref name="id"/> is not a valid cluster id.</exception>
    public static void EnsureValid([NotNull] string? id)
    {
        if (!IsValid(id, out var reason))
        {
            throw new InvalidClusterIdException(id, reason);
        }
    }

    private static string FindInvalidCharacter(string id)
    {
        for (var i = 0; i < id.Length; i++)
        {
            var c = id[i];
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or ':' or '-'))
            {
                // A lone surrogate decodes as U+FFFD.
                Rune.DecodeFromUtf16(id.AsSpan(i), out var rune, out _);
                var shown = c is > ' ' and <= '~'
                    ? $"'{c}' (U+{(int)c:X4})"
                    : string.Create(CultureInfo.InvariantCulture, $"U+{rune.Value:X4}");
                return $"it contains {shown} at index {i}; only A-Z, a-z, 0-9, '.', '_', ':' and '-' are allowed";
            }
        }

        return "";
    }
}
