using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ThanosBridge.OperationsTests;

/// <summary>
/// YAML read with YamlDotNet (the tests' one YAML parser) into plain values: mappings become
/// <see cref="Dictionary{TKey,TValue}"/>, sequences <see cref="List{T}"/>, scalars <see cref="string"/>, so the rule
/// and promtool test files can be walked without node types. A malformed file or a duplicate key is a
/// <see cref="FormatException"/> naming the place.
/// </summary>
internal static class YamlTree
{
    public static object? Parse(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new FormatException($"invalid YAML at {e.Start}: {e.Message}", e);
        }

        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode);
    }

    public static Dictionary<string, object?> Map(object? node, string what) =>
        node as Dictionary<string, object?> ?? throw new FormatException($"{what} is not a mapping");

    public static List<object?> List(object? node, string what) =>
        node as List<object?> ?? throw new FormatException($"{what} is not a sequence");

    public static string Scalar(object? node, string what) =>
        node as string ?? throw new FormatException($"{what} is not a scalar");

    private static object? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => map.Children.ToDictionary(
            kv => Scalar(Convert(kv.Key), $"key at {kv.Key.Start}"), kv => Convert(kv.Value), StringComparer.Ordinal),
        YamlSequenceNode sequence => sequence.Children.Select(Convert).ToList(),
        YamlScalarNode scalar => scalar.Value,
        _ => throw new FormatException($"unsupported YAML node at {node.Start}"),
    };
}
