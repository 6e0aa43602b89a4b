using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ThanosBridge.TestSupport;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ThanosBridge.OperationsTests.Chart;

/// <summary>
/// The chart under <c>charts/thanos-bridge</c>, read as files: Helm cannot run on this project's machines, so the
/// templates are read as text and the plain YAML files (values, Chart.yaml, ci scenarios) as data.
/// </summary>
internal static partial class ChartFiles
{
    public static string Root { get; } = Path.Combine(StackEnvironment.RepositoryRoot, "charts", "thanos-bridge");

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    public static string Text(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>The templates (<c>templates/*</c>) by file name.</summary>
    public static IReadOnlyDictionary<string, string> Templates() =>
        Directory.GetFiles(PathOf("templates"))
            .Order(StringComparer.Ordinal)
            .ToDictionary(p => Path.GetFileName(p), File.ReadAllText, StringComparer.Ordinal);

    /// <summary>The ci install scenarios, <c>ci/*-values.yaml</c>, as paths relative to the chart.</summary>
    public static IReadOnlyList<string> CiScenarios() =>
        [.. Directory.GetFiles(PathOf("ci"), "*-values.yaml")
            .Select(p => Path.GetRelativePath(Root, p).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];

    public static Dictionary<string, object?> Values() => LoadYamlMapping("values.yaml");

    public static JsonElement Schema()
    {
        using var document = JsonDocument.Parse(Text("values.schema.json"));
        return document.RootElement.Clone();
    }

    /// <summary>A plain YAML file whose document is a mapping, as dictionaries, lists and typed scalars.</summary>
    public static Dictionary<string, object?> LoadYamlMapping(string relative) => ParseYamlMapping(Text(relative));

    public static Dictionary<string, object?> ParseYamlMapping(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        stream.Documents.Count.ShouldBe(1);
        return ToData(stream.Documents[0].RootNode) as Dictionary<string, object?>
            ?? throw new InvalidOperationException("the YAML document is not a mapping");
    }

    /// <summary>
    /// YAML node to data, with Helm's reading of plain scalars: null, booleans, integers and floats; anything quoted
    /// is a string.
    /// </summary>
    public static object? ToData(YamlNode node) => node switch
    {
        YamlMappingNode map => map.Children.ToDictionary(
            kv => ((YamlScalarNode)kv.Key).Value ?? "",
            kv => ToData(kv.Value),
            StringComparer.Ordinal),
        YamlSequenceNode seq => seq.Children.Select(ToData).ToList(),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new InvalidOperationException($"unsupported YAML node {node.NodeType}"),
    };

    private static object? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not ScalarStyle.Plain)
        {
            return text;
        }

        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (text is "true" or "True" or "TRUE")
        {
            return true;
        }

        if (text is "false" or "False" or "FALSE")
        {
            return false;
        }

        if (IntegerScalar().IsMatch(text))
        {
            return long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }

        return FloatScalar().IsMatch(text)
            ? double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)
            : text;
    }

    /// <summary>Helm's merge of a values file over values.yaml: maps merge key by key, anything else replaces.</summary>
    public static Dictionary<string, object?> Merge(Dictionary<string, object?> baseValues, Dictionary<string, object?> overrides)
    {
        var result = new Dictionary<string, object?>(baseValues, StringComparer.Ordinal);
        foreach (var (key, value) in overrides)
        {
            result[key] = value is Dictionary<string, object?> over && result.GetValueOrDefault(key) is Dictionary<string, object?> under
                ? Merge(under, over)
                : value;
        }

        return result;
    }

    /// <summary>A deep copy, so a test can change values without touching another test's.</summary>
    public static object? Copy(object? data) => data switch
    {
        Dictionary<string, object?> map => map.ToDictionary(kv => kv.Key, kv => Copy(kv.Value), StringComparer.Ordinal),
        List<object?> list => list.Select(Copy).ToList(),
        _ => data,
    };

    /// <summary>Every <c>.Values.a.b</c> path referenced in <paramref name="template"/> (also through <c>$.Values</c>).</summary>
    public static IEnumerable<string> ValuesReferences(string template) =>
        ValuesReference().Matches(template).Select(m => m.Groups["path"].Value[1..]);

    /// <summary>
    /// The <c>name:</c> of each entry of the first list under <paramref name="header"/> (e.g. <c>env:</c>) in a
    /// template, with the entry's text up to the next entry. Lines that hold only template actions or comments are
    /// skipped.
    /// </summary>
    public static IReadOnlyList<(string Name, string Entry)> NamedEntries(string template, string header)
    {
        var lines = template.Split('\n');
        var start = Array.FindIndex(lines, l => l.Trim() == header);
        start.ShouldBeGreaterThan(-1, $"the template has no {header} list");
        var envIndent = Indent(lines[start]);
        var entries = new List<(string Name, List<string> Lines)>();
        for (var i = start + 1; i < lines.Length; i++)
        {
            var trimmed = lines[i].Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith("{{", StringComparison.Ordinal) || trimmed.StartsWith('#'))
            {
                continue;
            }

            if (Indent(lines[i]) <= envIndent)
            {
                break;
            }

            var entry = EntryName().Match(lines[i]);
            if (entry.Success)
            {
                entries.Add((entry.Groups["name"].Value, [lines[i]]));
            }
            else if (entries.Count > 0)
            {
                entries[^1].Lines.Add(lines[i]);
            }
        }

        return [.. entries.Select(e => (e.Name, string.Join('\n', e.Lines)))];
    }

    /// <summary>
    /// The objects of a template (documents separated by <c>---</c>), its YAML parsed with the template actions blanked
    /// out: comments and lines that hold only an action are dropped (includes, switches), other actions become "x".
    /// </summary>
    public static IReadOnlyList<Dictionary<string, object?>> Objects(string template)
    {
        var lines = TemplateComment().Replace(Text("templates/" + template), "").Split('\n')
            .Where(l => !l.TrimStart().StartsWith("{{", StringComparison.Ordinal))
            .Select(l => TemplateAction().Replace(l, "x"));
        return [.. string.Join('\n', lines).Split("\n---\n").Select(ParseYamlMapping)];
    }

    /// <summary>The body of <c>{{- define "name" -}} ... {{- end -}}</c> in <paramref name="helpers"/>.</summary>
    public static string Define(string helpers, string name)
    {
        var open = helpers.IndexOf($"{{{{- define \"{name}\" -}}}}", StringComparison.Ordinal);
        open.ShouldBeGreaterThan(-1, $"no define \"{name}\"");
        var bodyStart = helpers.IndexOf('\n', open) + 1;
        var end = helpers.IndexOf("{{- end -}}", bodyStart, StringComparison.Ordinal);
        return helpers[bodyStart..end];
    }

    /// <summary>
    /// Every value path the schema declares through <c>properties</c> (e.g. <c>image</c>, <c>image.tag</c>), with
    /// its subschema; a leaf is a declared value without declared properties of its own.
    /// </summary>
    public static IReadOnlyList<(string Path, JsonElement Schema, bool IsLeaf)> DeclaredValues(JsonElement schema)
    {
        var result = new List<(string, JsonElement, bool)>();
        Walk(schema, "");
        return result;

        void Walk(JsonElement node, string path)
        {
            if (!node.TryGetProperty("properties", out var properties))
            {
                return;
            }

            foreach (var property in properties.EnumerateObject())
            {
                var child = path.Length == 0 ? property.Name : path + "." + property.Name;
                result.Add((child, property.Value, !property.Value.TryGetProperty("properties", out _)));
                Walk(property.Value, child);
            }
        }
    }

    /// <summary>Whether <paramref name="values"/> has the dotted <paramref name="path"/> (through mappings).</summary>
    public static bool HasValue(Dictionary<string, object?> values, string path)
    {
        object? node = values;
        foreach (var segment in path.Split('.'))
        {
            if (node is not Dictionary<string, object?> map || !map.TryGetValue(segment, out node))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The value at the dotted <paramref name="path"/>; the path must exist.</summary>
    public static object? ValueAt(Dictionary<string, object?> values, string path)
    {
        object? node = values;
        foreach (var segment in path.Split('.'))
        {
            node = ((Dictionary<string, object?>)node!)[segment];
        }

        return node;
    }

    /// <summary>Whether the schema declares the dotted <paramref name="path"/> through <c>properties</c>.</summary>
    public static bool Declares(JsonElement schema, string path)
    {
        var node = schema;
        foreach (var segment in path.Split('.'))
        {
            if (!node.TryGetProperty("properties", out var properties) || !properties.TryGetProperty(segment, out node))
            {
                return false;
            }
        }

        return true;
    }

    private static int Indent(string line) => line.Length - line.TrimStart(' ').Length;

    [GeneratedRegex(@"\{\{[^}]*\}\}")]
    private static partial Regex TemplateAction();

    [GeneratedRegex(@"\{\{-? ?/\*.*?\*/ ?-?\}\}\n?", RegexOptions.Singleline)]
    private static partial Regex TemplateComment();

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntegerScalar();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatScalar();

    [GeneratedRegex(@"\$?\.Values(?<path>(\.[A-Za-z_][A-Za-z0-9_]*)+)")]
    private static partial Regex ValuesReference();

    [GeneratedRegex(@"^\s*- name: (?<name>[A-Za-z_][A-Za-z0-9_-]*)\s*$")]
    private static partial Regex EntryName();
}
