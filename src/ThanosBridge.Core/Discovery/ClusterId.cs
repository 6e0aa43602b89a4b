using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ThanosBridge.Core.Discovery;

/// <summary>
/// A cluster id that is safe everywhere the bridge puts one: 1 to 253 characters from <c>[A-Za-z0-9._:-]</c>, not "." and
/// without "..", the rule of koku's manifest (koku-ingestion.md §1.6). The set covers ACM cluster names (DNS labels) and cluster UUIDs and leaves nothing that PromQL, a log
/// line or a file path would interpret: no quotes, backslashes, braces, slashes, whitespace, control or non-ASCII
/// characters. Ids are parsed once where they enter (discovery, settings, the command line, the ledger's storage);
/// every later stage takes this type and checks nothing again.
/// </summary>
[JsonConverter(typeof(StringConverter))]
public sealed class ClusterId : IEquatable<ClusterId>
{
    public const int MaxLength = 253;

    private ClusterId(string value) => Value = value;

    public string Value { get; }

    public static bool TryParse(string? text, [NotNullWhen(true)] out ClusterId? id, out string reason)
    {
        reason = Problem(text);
        id = reason.Length == 0 ? new ClusterId(text!) : null;
        return id is not null;
    }

    /// <exception cref="InvalidClusterIdException"><paramref name="text"/> is not a valid cluster id.</exception>
    public static ClusterId Parse(string? text) =>
        TryParse(text, out var id, out var reason) ? id : throw new InvalidClusterIdException(text, reason);

    public override string ToString() => Value;

    public bool Equals(ClusterId? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as ClusterId);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    public static bool operator ==(ClusterId? left, ClusterId? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(ClusterId? left, ClusterId? right) => !(left == right);

    private static string Problem(string? text) => text switch
    {
        null => "it is null",
        "" => "it is empty",
        { Length: > MaxLength } => $"it is {text.Length} characters long; the maximum is {MaxLength}",
        "." => "it is a relative path component",
        _ when text.Contains("..", StringComparison.Ordinal) => "it contains '..', which koku refuses in a cluster id (koku-ingestion.md §1.6)",
        _ => FindInvalidCharacter(text),
    };

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

    /// <summary>A JSON string, as the id is written everywhere else; reading parses it like any id that enters.</summary>
    private sealed class StringConverter : JsonConverter<ClusterId>
    {
        public override ClusterId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Parse(reader.GetString());

        public override void Write(Utf8JsonWriter writer, ClusterId value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);

        public override ClusterId ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Parse(reader.GetString());

        public override void WriteAsPropertyName(Utf8JsonWriter writer, ClusterId value, JsonSerializerOptions options) =>
            writer.WritePropertyName(value.Value);
    }
}
