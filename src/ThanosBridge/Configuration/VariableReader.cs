using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ThanosBridge.Configuration;

/// <summary>
/// Reads environment variables one at a time, collects every problem as a one-line
/// <see cref="ConfigurationException"/> and remembers how each variable should be described
/// (<see cref="BridgeSettings.Describe"/>). An empty or blank value counts as unset.
/// </summary>
internal sealed partial class VariableReader(IReadOnlyDictionary<string, string?> environment)
{
    private const int MaxShownLength = 200;

    private readonly List<ConfigurationException> problems = [];
    private readonly Dictionary<string, DescribedVariable> described = new(StringComparer.Ordinal);

    public IReadOnlyList<ConfigurationException> Problems => problems;

    public IReadOnlyList<DescribedVariable> Described =>
        [.. BridgeVariables.All.Where(described.ContainsKey).Select(n => described[n])];

    public string? Raw(string name) =>
        environment.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    public bool IsSet(string name) => Raw(name) is not null;

    public bool HasProblem(string name) => problems.Any(p => p.Variable == name);

    public void Fail(string name, string problem) => problems.Add(new ConfigurationException(name, problem));

    /// <summary>Records the effective value for <see cref="BridgeSettings.Describe"/>.</summary>
    public void Describe(string name, string? effective, bool isDefault) =>
        described[name] = new DescribedVariable(name, effective is null ? null : Display(name, effective), isDefault);

    /// <summary>The value as messages show it: quoted and escaped onto one line, URL credentials and secrets redacted.</summary>
    public static string Show(string name, string value) =>
        BridgeVariables.Secrets.Contains(name) ? BridgeVariables.Redacted : Quote(RedactUrlCredentials(value));

    public static string RedactUrlCredentials(string value) => UrlCredentials().Replace(value, "://" + BridgeVariables.Redacted + "@");

    public static string Quote(string value)
    {
        var text = new StringBuilder("\"");
        Escape(text, value.Length > MaxShownLength ? value[..MaxShownLength] : value);
        text.Append('"');
        if (value.Length > MaxShownLength)
        {
            text.Append(CultureInfo.InvariantCulture, $" (first {MaxShownLength} of {value.Length} characters)");
        }

        return text.ToString();
    }

    private static void Escape(StringBuilder text, string value)
    {
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => text.Append("\\\""),
                '\\' => text.Append("\\\\"),
                '\n' => text.Append("\\n"),
                '\r' => text.Append("\\r"),
                '\t' => text.Append("\\t"),
                _ when char.IsControl(c) => text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => text.Append(c),
            };
        }
    }

    /// <summary>An optional text value.</summary>
    public string? Text(string name)
    {
        var value = Raw(name);
        Describe(name, value, isDefault: false);
        return value;
    }

    /// <summary>A text value with a default.</summary>
    public string Text(string name, string defaultValue)
    {
        var value = Raw(name);
        Describe(name, value ?? defaultValue, isDefault: value is null);
        return value ?? defaultValue;
    }

    /// <summary>
    /// An integer between <paramref name="min"/> and <paramref name="max"/>. <paramref name="rule"/>, checked first,
    /// returns a problem for a value it rejects (e.g. "7 does not divide 3600"), or null.
    /// </summary>
    public int Int(string name, int defaultValue, int min, int max, Func<int, string?>? rule = null) =>
        OptionalInt(name, min, max, rule, defaultValue) ?? defaultValue;

    public int? OptionalInt(string name, int min, int max, Func<int, string?>? rule = null, int? defaultValue = null)
    {
        var raw = Raw(name);
        if (raw is null)
        {
            Describe(name, defaultValue?.ToString(CultureInfo.InvariantCulture), isDefault: defaultValue is not null);
            return defaultValue;
        }

        Describe(name, raw, isDefault: false);
        if (!int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            Fail(name, $"{Show(name, raw)} is not an integer");
            return defaultValue;
        }

        if (rule?.Invoke(value) is { } problem)
        {
            Fail(name, problem);
            return defaultValue;
        }

        if (value < min || value > max)
        {
            Fail(name, string.Create(CultureInfo.InvariantCulture, $"{value} is not between {min} and {max}"));
            return defaultValue;
        }

        Describe(name, value.ToString(CultureInfo.InvariantCulture), isDefault: false);
        return value;
    }

    /// <summary>true/false (any case), also 1/0 and yes/no.</summary>
    public bool Bool(string name, bool defaultValue)
    {
        var raw = Raw(name);
        if (raw is null)
        {
            Describe(name, defaultValue ? "true" : "false", isDefault: true);
            return defaultValue;
        }

        bool? value = raw.ToUpperInvariant() switch
        {
            "TRUE" or "1" or "YES" => true,
            "FALSE" or "0" or "NO" => false,
            _ => null,
        };
        if (value is null)
        {
            Fail(name, $"{Show(name, raw)} is not a boolean (true or false)");
            Describe(name, raw, isDefault: false);
            return defaultValue;
        }

        Describe(name, value.Value ? "true" : "false", isDefault: false);
        return value.Value;
    }

    /// <summary>An absolute http or https URL; without a scheme "https://" is assumed when <paramref name="assumeHttps"/>.</summary>
    public Uri? HttpUrl(string name, bool assumeHttps = false, Uri? defaultValue = null)
    {
        var raw = Raw(name);
        if (raw is null)
        {
            Describe(name, defaultValue?.ToString(), isDefault: defaultValue is not null);
            return defaultValue;
        }

        Describe(name, raw, isDefault: false);
        var text = assumeHttps && !raw.Contains("://", StringComparison.Ordinal) ? "https://" + raw : raw;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url)
            || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(url.Host))
        {
            Fail(name, $"{Show(name, raw)} is not an absolute http or https URL");
            return defaultValue;
        }

        if (url.Query.Length > 0 || url.Fragment.Length > 0)
        {
            Fail(name, $"{Show(name, raw)} has a query or fragment; give the base URL only");
            return defaultValue;
        }

        Describe(name, url.ToString(), isDefault: false);
        return url;
    }

    /// <summary>The path of a file that must exist.</summary>
    public string? ExistingFile(string name)
    {
        var path = Text(name);
        if (path is not null && !File.Exists(path))
        {
            Fail(name, $"{Show(name, path)} does not exist or is not a file");
        }

        return path;
    }

    /// <summary>One of <paramref name="allowed"/> (any case; returned as listed).</summary>
    public string? OneOf(string name, IReadOnlyList<string> allowed)
    {
        var raw = Raw(name);
        if (raw is null)
        {
            Describe(name, null, isDefault: false);
            return null;
        }

        var match = allowed.FirstOrDefault(a => a.Equals(raw, StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            Fail(name, $"{Show(name, raw)} is not one of {string.Join(", ", allowed)}");
            Describe(name, raw, isDefault: false);
            return null;
        }

        Describe(name, match, isDefault: false);
        return match;
    }

    /// <summary>Each of <paramref name="required"/> that is unset fails with "not set, but <paramref name="trigger"/> is".</summary>
    public void RequireWith(string trigger, params string[] required)
    {
        foreach (var name in required.Where(n => !IsSet(n)))
        {
            Fail(name, $"not set, but {trigger} is");
        }
    }

    /// <summary>Those of <paramref name="names"/> that are set, in the given order.</summary>
    public List<string> SetAmong(params string[] names) => [.. names.Where(IsSet)];

    /// <summary>"A is" or "A, B and C are", for messages about the variables <see cref="SetAmong"/> found.</summary>
    public static string Listing(List<string> names) => names.Count == 1
        ? $"{names[0]} is"
        : $"{string.Join(", ", names.Take(names.Count - 1))} and {names[^1]} are";

    private static string Display(string name, string value)
    {
        if (BridgeVariables.Secrets.Contains(name))
        {
            return BridgeVariables.Redacted;
        }

        var text = new StringBuilder();
        Escape(text, RedactUrlCredentials(value));
        return text.ToString();
    }

    [GeneratedRegex("://[^/@\\s]+@")]
    private static partial Regex UrlCredentials();
}

/// <summary>One line of <see cref="BridgeSettings.Describe"/>: the effective value (null when unset).</summary>
internal sealed record DescribedVariable(string Name, string? Value, bool IsDefault)
{
    public override string ToString() => Value is null
        ? $"{Name}= (unset)"
        : $"{Name}={Value}{(IsDefault ? " (default)" : "")}";
}
