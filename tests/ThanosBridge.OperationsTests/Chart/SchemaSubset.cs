using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ThanosBridge.OperationsTests.Chart;

/// <summary>
/// A validator for the part of JSON Schema that values.schema.json uses: <c>type</c>, <c>properties</c>,
/// <c>required</c>, <c>additionalProperties</c> (false or a schema), <c>enum</c>, <c>minimum</c>/<c>maximum</c>,
/// <c>minLength</c>/<c>maxLength</c>, <c>pattern</c> and <c>items</c>; <c>$schema</c>, <c>title</c> and
/// <c>description</c> are annotations. Any other keyword is reported by <see cref="UnsupportedKeywords"/> and makes
/// <see cref="Validate"/> throw, so the schema cannot silently rely on a rule this validator does not check (Helm,
/// which checks the full standard, is not available here). Data is what <see cref="ChartFiles.ToData"/> returns.
/// </summary>
internal static class SchemaSubset
{
    private static readonly HashSet<string> Assertions = new(StringComparer.Ordinal)
    {
        "type", "properties", "required", "additionalProperties", "enum", "minimum", "maximum", "minLength",
        "maxLength", "pattern", "items",
    };

    private static readonly HashSet<string> Annotations = new(StringComparer.Ordinal) { "$schema", "title", "description" };

    /// <summary>Every keyword of <paramref name="schema"/> (and its subschemas) outside the subset, as "path: keyword".</summary>
    public static IReadOnlyList<string> UnsupportedKeywords(JsonElement schema)
    {
        var found = new List<string>();
        Walk(schema, "#", found);
        return found;

        static void Walk(JsonElement node, string at, List<string> found)
        {
            foreach (var keyword in node.EnumerateObject())
            {
                if (!Assertions.Contains(keyword.Name) && !Annotations.Contains(keyword.Name))
                {
                    found.Add($"{at}: {keyword.Name}");
                }
            }

            if (node.TryGetProperty("properties", out var properties))
            {
                foreach (var property in properties.EnumerateObject())
                {
                    Walk(property.Value, $"{at}/properties/{property.Name}", found);
                }
            }

            if (node.TryGetProperty("items", out var items))
            {
                Walk(items, $"{at}/items", found);
            }

            if (node.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.Object)
            {
                Walk(additional, $"{at}/additionalProperties", found);
            }
        }
    }

    /// <summary>The violations of <paramref name="schema"/> by <paramref name="data"/>, each as "path: problem".</summary>
    public static IReadOnlyList<string> Validate(JsonElement schema, object? data)
    {
        var unsupported = UnsupportedKeywords(schema);
        if (unsupported.Count > 0)
        {
            throw new NotSupportedException("schema keywords outside the supported subset: " + string.Join(", ", unsupported));
        }

        var errors = new List<string>();
        Check(schema, data, "", errors);
        return errors;
    }

    private static void Check(JsonElement schema, object? data, string path, List<string> errors)
    {
        var at = path.Length == 0 ? "(root)" : path;
        if (schema.TryGetProperty("type", out var type) && !MatchesType(type, data))
        {
            errors.Add($"{at}: {Describe(data)} is not of type {type.GetRawText()}");
            return;
        }

        if (schema.TryGetProperty("enum", out var allowed) && !allowed.EnumerateArray().Any(e => JsonEquals(e, data)))
        {
            errors.Add($"{at}: {Describe(data)} is not one of {allowed.GetRawText()}");
        }

        switch (data)
        {
            case string text:
                CheckString(schema, text, at, errors);
                break;
            case long or double:
                CheckNumber(schema, Convert.ToDouble(data, CultureInfo.InvariantCulture), at, errors);
                break;
            case Dictionary<string, object?> map:
                CheckObject(schema, map, path, errors);
                break;
            case List<object?> list when schema.TryGetProperty("items", out var items):
                for (var i = 0; i < list.Count; i++)
                {
                    Check(items, list[i], $"{path}[{i}]", errors);
                }

                break;
        }
    }

    private static void CheckString(JsonElement schema, string text, string at, List<string> errors)
    {
        if (schema.TryGetProperty("minLength", out var min) && text.Length < min.GetInt32())
        {
            errors.Add($"{at}: {Describe(text)} is shorter than {min.GetInt32()}");
        }

        if (schema.TryGetProperty("maxLength", out var max) && text.Length > max.GetInt32())
        {
            errors.Add($"{at}: {Describe(text)} is longer than {max.GetInt32()}");
        }

        if (schema.TryGetProperty("pattern", out var pattern)
            && !Regex.IsMatch(text, pattern.GetString()!, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
        {
            errors.Add($"{at}: {Describe(text)} does not match {pattern.GetString()}");
        }
    }

    private static void CheckNumber(JsonElement schema, double number, string at, List<string> errors)
    {
        if (schema.TryGetProperty("minimum", out var min) && number < min.GetDouble())
        {
            errors.Add($"{at}: {number.ToString(CultureInfo.InvariantCulture)} is less than the minimum {min.GetRawText()}");
        }

        if (schema.TryGetProperty("maximum", out var max) && number > max.GetDouble())
        {
            errors.Add($"{at}: {number.ToString(CultureInfo.InvariantCulture)} is greater than the maximum {max.GetRawText()}");
        }
    }

    private static void CheckObject(JsonElement schema, Dictionary<string, object?> map, string path, List<string> errors)
    {
        var prefix = path.Length == 0 ? "" : path + ".";
        if (schema.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!).Where(n => !map.ContainsKey(n)))
            {
                errors.Add($"{prefix}{name}: required property missing");
            }
        }

        var hasProperties = schema.TryGetProperty("properties", out var properties);
        var hasAdditional = schema.TryGetProperty("additionalProperties", out var additional);
        foreach (var (key, value) in map)
        {
            if (hasProperties && properties.TryGetProperty(key, out var propertySchema))
            {
                Check(propertySchema, value, prefix + key, errors);
            }
            else if (hasAdditional && additional.ValueKind == JsonValueKind.False)
            {
                errors.Add($"{prefix}{key}: additional property not allowed");
            }
            else if (hasAdditional && additional.ValueKind == JsonValueKind.Object)
            {
                Check(additional, value, prefix + key, errors);
            }
        }
    }

    private static bool MatchesType(JsonElement type, object? data) => type.ValueKind == JsonValueKind.Array
        ? type.EnumerateArray().Any(t => MatchesType(t.GetString()!, data))
        : MatchesType(type.GetString()!, data);

    private static bool MatchesType(string type, object? data) => type switch
    {
        "null" => data is null,
        "boolean" => data is bool,
        "string" => data is string,
        "integer" => data is long || (data is double d && Math.Floor(d) == d && !double.IsInfinity(d)),
        "number" => data is long or double,
        "object" => data is Dictionary<string, object?>,
        "array" => data is List<object?>,
        _ => throw new NotSupportedException($"unknown type {type}"),
    };

    private static bool JsonEquals(JsonElement expected, object? data) => expected.ValueKind switch
    {
        JsonValueKind.String => data is string s && s == expected.GetString(),
        JsonValueKind.Number => data is long or double && Convert.ToDouble(data, CultureInfo.InvariantCulture) == expected.GetDouble(),
        JsonValueKind.True => data is true,
        JsonValueKind.False => data is false,
        JsonValueKind.Null => data is null,
        _ => throw new NotSupportedException($"enum members of kind {expected.ValueKind} are not supported"),
    };

    private static string Describe(object? data) => data switch
    {
        null => "null",
        string s => JsonSerializer.Serialize(s),
        bool b => b ? "true" : "false",
        long or double => Convert.ToString(data, CultureInfo.InvariantCulture)!,
        Dictionary<string, object?> => "an object",
        List<object?> => "an array",
        _ => data.ToString() ?? "?",
    };
}
