using System.Globalization;
using System.Text;

namespace ThanosBridge.UnitTests.Operations;

/// <summary>
/// A strict reader for the block-style YAML subset that the rules and promtool test files use: mappings, sequences
/// ("- " items, also at the parent key's indentation), plain, single- and double-quoted scalars (quoted ones may span
/// lines), literal and folded block scalars (<c>|</c>, <c>|-</c>, <c>&gt;</c>, <c>&gt;-</c>), empty flow collections
/// (<c>[]</c>, <c>{}</c>) and flow sequences of scalars. Mappings become <see cref="Dictionary{TKey,TValue}"/>,
/// sequences <see cref="List{T}"/>, scalars <see cref="string"/>. Anything else (anchors, tags, nested flow
/// collections, plain scalars continued on the next line) is a <see cref="FormatException"/> naming the line, so a
/// file this reader cannot read fails the tests instead of being misread.
/// </summary>
internal sealed class MiniYaml
{
    private readonly string[] lines;
    private int index;

    private MiniYaml(string text) => lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');

    public static object? Parse(string text)
    {
        var reader = new MiniYaml(text);
        var value = reader.ParseBlock(0);
        reader.SkipInsignificant();
        if (reader.index < reader.lines.Length)
        {
            throw reader.Error("unexpected content (wrong indentation?)");
        }

        return value;
    }

    public static Dictionary<string, object?> Map(object? node, string what) =>
        node as Dictionary<string, object?> ?? throw new FormatException($"{what} is not a mapping");

    public static List<object?> List(object? node, string what) =>
        node as List<object?> ?? throw new FormatException($"{what} is not a sequence");

    public static string Scalar(object? node, string what) =>
        node as string ?? throw new FormatException($"{what} is not a scalar");

    private static int Indent(string line) => line.Length - line.TrimStart(' ').Length;

    private static bool IsInsignificant(string line)
    {
        var t = line.Trim();
        return t.Length == 0 || t.StartsWith('#');
    }

    private static bool IsSequenceItem(string trimmed) => trimmed == "-" || trimmed.StartsWith("- ", StringComparison.Ordinal);

    private FormatException Error(string message) =>
        new(string.Create(CultureInfo.InvariantCulture, $"line {index + 1}: {message}"));

    private void SkipInsignificant()
    {
        while (index < lines.Length && IsInsignificant(lines[index]))
        {
            index++;
        }
    }

    /// <summary>The node starting at the next significant line, if that line is indented at least <paramref name="minIndent"/>.</summary>
    private object? ParseBlock(int minIndent)
    {
        SkipInsignificant();
        if (index >= lines.Length || Indent(lines[index]) < minIndent)
        {
            return null;
        }

        var indent = Indent(lines[index]);
        return IsSequenceItem(lines[index].Trim()) ? ParseSequence(indent) : ParseMapping(indent);
    }

    private List<object?> ParseSequence(int indent)
    {
        var items = new List<object?>();
        while (true)
        {
            SkipInsignificant();
            if (index >= lines.Length || Indent(lines[index]) != indent || !IsSequenceItem(lines[index].Trim()))
            {
                return items;
            }

            var content = lines[index].Trim().Length == 1 ? "" : lines[index][(indent + 2)..];
            if (content.Trim().Length == 0)
            {
                index++;
                items.Add(ParseBlock(indent + 1));
            }
            else if (FindKeySeparator(content) >= 0)
            {
                // "- key: value" starts a mapping whose keys sit where "key" is.
                lines[index] = new string(' ', indent + 2) + content;
                items.Add(ParseMapping(indent + 2 + Indent(content)));
            }
            else
            {
                items.Add(ParseInlineValue(content.Trim(), indent));
            }
        }
    }

    private Dictionary<string, object?> ParseMapping(int indent)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (true)
        {
            SkipInsignificant();
            if (index >= lines.Length)
            {
                return map;
            }

            var line = lines[index];
            var lineIndent = Indent(line);
            if (lineIndent < indent)
            {
                return map;
            }

            if (lineIndent > indent)
            {
                throw Error("unexpected indentation");
            }

            var trimmed = line.Trim();
            if (IsSequenceItem(trimmed))
            {
                return map;
            }

            var separator = FindKeySeparator(trimmed);
            if (separator < 0)
            {
                throw Error("expected 'key: value'");
            }

            var key = Unquote(trimmed[..separator].Trim());
            var rest = trimmed[(separator + 1)..].Trim();
            if (map.ContainsKey(key))
            {
                throw Error($"duplicate key '{key}'");
            }

            if (rest.Length == 0 || rest.StartsWith('#'))
            {
                index++;
                SkipInsignificant();
                var nested = index < lines.Length && IsSequenceItem(lines[index].Trim()) && Indent(lines[index]) == indent
                    ? ParseSequence(indent)
                    : ParseBlock(indent + 1);
                map[key] = nested;
            }
            else
            {
                map[key] = ParseInlineValue(rest, indent);
            }
        }
    }

    /// <summary>A value that starts on the current line after "key:" or "- ". Advances past every line it uses.</summary>
    private object? ParseInlineValue(string text, int parentIndent)
    {
        if (text[0] is '|' or '>')
        {
            return ParseBlockScalar(text, parentIndent);
        }

        if (text[0] is '\'' or '"')
        {
            return ParseQuoted(text);
        }

        if (text[0] == '[')
        {
            index++;
            return ParseFlowSequence(StripComment(text));
        }

        if (StripComment(text) == "{}")
        {
            index++;
            return new Dictionary<string, object?>(StringComparer.Ordinal);
        }

        if (text[0] is '{' or '&' or '*' or '!')
        {
            throw Error($"unsupported YAML: {text}");
        }

        index++;
        var value = StripComment(text);
        SkipInsignificant();
        if (index < lines.Length && Indent(lines[index]) > parentIndent && !IsSequenceItem(lines[index].Trim()) && FindKeySeparator(lines[index].Trim()) < 0)
        {
            throw Error("plain scalars continued on the next line are not supported; quote or fold the value");
        }

        return value;
    }

    private string ParseBlockScalar(string header, int parentIndent)
    {
        var folded = header[0] == '>';
        var chomp = header.Length > 1 && header[1] == '-';
        if (StripComment(header).Length > (chomp ? 2 : 1))
        {
            throw Error($"unsupported block scalar header '{header}'");
        }

        index++;
        var body = new List<string>();
        var blockIndent = -1;
        while (index < lines.Length)
        {
            var line = lines[index];
            if (line.Trim().Length == 0)
            {
                body.Add("");
                index++;
                continue;
            }

            var lineIndent = Indent(line);
            if (blockIndent < 0)
            {
                if (lineIndent <= parentIndent)
                {
                    break;
                }

                blockIndent = lineIndent;
            }

            if (lineIndent < blockIndent)
            {
                break;
            }

            body.Add(line[blockIndent..]);
            index++;
        }

        while (body.Count > 0 && body[^1].Length == 0)
        {
            body.RemoveAt(body.Count - 1);
        }

        string text;
        if (folded)
        {
            var sb = new StringBuilder();
            for (var i = 0; i < body.Count; i++)
            {
                if (i > 0)
                {
                    sb.Append(body[i].Length == 0 || body[i - 1].Length == 0 ? "\n" : " ");
                }

                sb.Append(body[i]);
            }

            text = sb.ToString().Replace("\n\n", "\n", StringComparison.Ordinal);
        }
        else
        {
            text = string.Join('\n', body);
        }

        return chomp || text.Length == 0 ? text : text + "\n";
    }

    /// <summary>A quoted scalar, possibly over several lines (each line break folds to one space).</summary>
    private string ParseQuoted(string text)
    {
        var quote = text[0];
        var sb = new StringBuilder();
        var pos = 1;
        var current = text;
        while (true)
        {
            if (pos >= current.Length)
            {
                index++;
                if (index >= lines.Length)
                {
                    throw Error("unterminated quoted scalar");
                }

                current = lines[index].Trim();
                sb.Append(' ');
                pos = 0;
                continue;
            }

            var c = current[pos];
            if (quote == '\'' && c == '\'')
            {
                if (pos + 1 < current.Length && current[pos + 1] == '\'')
                {
                    sb.Append('\'');
                    pos += 2;
                    continue;
                }

                break;
            }

            if (quote == '"' && c == '\\')
            {
                if (pos + 1 >= current.Length)
                {
                    throw Error("unsupported escaped line break");
                }

                sb.Append(current[pos + 1] switch
                {
                    'n' => '\n',
                    't' => '\t',
                    '"' => '"',
                    '\\' => '\\',
                    '/' => '/',
                    var other => throw Error($"unsupported escape \\{other}"),
                });
                pos += 2;
                continue;
            }

            if (quote == '"' && c == '"')
            {
                break;
            }

            sb.Append(c);
            pos++;
        }

        var after = StripComment(current[(pos + 1)..]);
        if (after.Length > 0)
        {
            throw Error($"unexpected text after a quoted scalar: {after}");
        }

        index++;
        return sb.ToString();
    }

    private List<object?> ParseFlowSequence(string text)
    {
        if (!text.EndsWith(']'))
        {
            throw Error("flow sequences must end on their line");
        }

        var inner = text[1..^1].Trim();
        var items = new List<object?>();
        if (inner.Length == 0)
        {
            return items;
        }

        foreach (var part in inner.Split(','))
        {
            var item = part.Trim();
            if (item.Length == 0 || item[0] is '[' or '{' || (item.Contains('\'', StringComparison.Ordinal) && item[0] != '\''))
            {
                throw Error($"unsupported flow sequence item '{item}'");
            }

            items.Add(Unquote(item));
        }

        return items;
    }

    private static string Unquote(string s)
    {
        if (s.Length >= 2 && s[0] == '\'' && s[^1] == '\'')
        {
            return s[1..^1].Replace("''", "'", StringComparison.Ordinal);
        }

        if (s.Length >= 2 && s[0] == '"' && s[^1] == '"')
        {
            return s[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
        }

        return s;
    }

    /// <summary>Position of the ':' that ends a mapping key (followed by a space or the end), outside quotes; -1 if none.</summary>
    private static int FindKeySeparator(string text)
    {
        var t = text.TrimStart();
        var offset = text.Length - t.Length;
        if (t.Length == 0 || t[0] is '|' or '>' or '[' or '{' or '#')
        {
            return -1;
        }

        var start = 0;
        if (t[0] is '\'' or '"')
        {
            var close = t.IndexOf(t[0], 1);
            if (close < 0)
            {
                return -1;
            }

            start = close + 1;
            return start < t.Length && t[start] == ':' && (start + 1 == t.Length || t[start + 1] == ' ') ? offset + start : -1;
        }

        for (var i = start; i < t.Length; i++)
        {
            if (t[i] == ':' && (i + 1 == t.Length || t[i + 1] == ' '))
            {
                return offset + i;
            }

            if (t[i] == ' ' && i + 1 < t.Length && t[i + 1] == '#')
            {
                return -1;
            }
        }

        return -1;
    }

    private static string StripComment(string text)
    {
        var hash = text.IndexOf(" #", StringComparison.Ordinal);
        return (hash < 0 ? text : text[..hash]).Trim();
    }
}
