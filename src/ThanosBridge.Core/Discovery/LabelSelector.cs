using System.Text.RegularExpressions;

namespace ThanosBridge.Core.Discovery;

/// <summary>
/// Checks a Kubernetes label selector as the API server parses it (apimachinery's labels.Parse), so that a typo stops
/// the bridge at start-up instead of failing every run with 400: requirements separated by commas, each
/// <c>key</c>, <c>!key</c>, <c>key=value</c>, <c>key==value</c>, <c>key!=value</c>, <c>key in (a,b)</c>,
/// <c>key notin (a,b)</c>, <c>key&gt;n</c> or <c>key&lt;n</c>. Keys are an optional DNS-subdomain prefix and a
/// name of at most 63 characters; values are empty or at most 63 characters, both starting and ending alphanumeric.
/// </summary>
public static partial class LabelSelector
{
    public static bool IsValid(string selector, out string reason)
    {
        ArgumentNullException.ThrowIfNull(selector);
        foreach (var requirement in SplitRequirements(selector))
        {
            var text = requirement.Trim();
            var problem = text.Length == 0 ? "it has an empty requirement (two commas, or one at either end)" : CheckRequirement(text);
            if (problem is not null)
            {
                reason = problem;
                return false;
            }
        }

        reason = "";
        return true;
    }

    private static string? CheckRequirement(string text)
    {
        if (Exists().Match(text) is { Success: true } exists)
        {
            return CheckKey(exists.Groups["key"].Value);
        }

        if (Set().Match(text) is { Success: true } set)
        {
            var values = set.Groups["values"].Value.Split(',').Select(v => v.Trim()).ToList();
            return CheckKey(set.Groups["key"].Value)
                   ?? values.Select(v => CheckValue(v, text)).FirstOrDefault(p => p is not null);
        }

        if (Compare().Match(text) is { Success: true } compare)
        {
            var op = compare.Groups["op"].Value;
            var value = compare.Groups["value"].Value.Trim();
            return CheckKey(compare.Groups["key"].Value)
                   ?? (op is ">" or "<" && !long.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _)
                       ? $"requirement \"{text}\" compares with {op} to \"{value}\", which is not an integer"
                       : CheckValue(value, text));
        }

        return $"requirement \"{text}\" is not key, !key, key=value, key!=value, key in (…) or key notin (…)";
    }

    private static string? CheckKey(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var prefix = slash < 0 ? null : key[..slash];
        var name = slash < 0 ? key : key[(slash + 1)..];
        if (prefix is not null && (prefix.Length is 0 or > 253 || !DnsSubdomain().IsMatch(prefix)))
        {
            return $"label key \"{key}\" has a prefix that is not a DNS subdomain of at most 253 characters";
        }

        return name.Length is 0 or > 63 || !LabelName().IsMatch(name)
            ? $"label key \"{key}\" is not a name of 1 to 63 characters from A-Z a-z 0-9 - _ . starting and ending alphanumeric"
            : null;
    }

    private static string? CheckValue(string value, string requirement) =>
        value.Length == 0 || (value.Length <= 63 && LabelName().IsMatch(value))
            ? null
            : $"value \"{value}\" in requirement \"{requirement}\" is not at most 63 characters from A-Z a-z 0-9 - _ . starting and ending alphanumeric";

    /// <summary>Splits at the commas outside parentheses.</summary>
    private static List<string> SplitRequirements(string selector)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < selector.Length; i++)
        {
            switch (selector[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    parts.Add(selector[start..i]);
                    start = i + 1;
                    break;
            }
        }

        parts.Add(selector[start..]);
        return parts;
    }

    [GeneratedRegex(@"^!?\s*(?<key>[^\s=!<>(),]+)$")]
    private static partial Regex Exists();

    [GeneratedRegex(@"^(?<key>[^\s=!<>(),]+)\s+(in|notin)\s*\((?<values>[^()]*)\)$")]
    private static partial Regex Set();

    [GeneratedRegex(@"^(?<key>[^\s=!<>(),]+)\s*(?<op>==|=|!=|>|<)\s*(?<value>[^=!<>(),]*)$")]
    private static partial Regex Compare();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();

    [GeneratedRegex(@"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex LabelName();
}
