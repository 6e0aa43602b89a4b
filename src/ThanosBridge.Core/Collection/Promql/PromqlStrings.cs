using System.Globalization;
using System.Text;

namespace ThanosBridge.Core.Collection.Promql;

/// <summary>PromQL string literals: decoding as Prometheus does, quoting, and safe display in messages.</summary>
internal static class PromqlStrings
{
    /// <summary>
    /// Decodes a string token (quotes included) with Go's escape rules. The lexer has validated the escapes.
    /// Octal and \x escapes are bytes, as in Go, so the result is assembled as UTF-8 and decoded at the end.
    /// </summary>
    public static string Unquote(string token)
    {
        var quote = token[0];
        var body = token.AsSpan(1, token.Length - 2);
        if (quote == '`' || !body.Contains('\\'))
        {
            return body.ToString();
        }

        var bytes = new List<byte>(body.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c != '\\')
            {
                var count = char.IsHighSurrogate(c) && i + 1 < body.Length
                    ? Encoding.UTF8.GetBytes(body.Slice(i++, 2), utf8)
                    : Encoding.UTF8.GetBytes(body.Slice(i, 1), utf8);
                AddRange(bytes, utf8[..count]);
                continue;
            }

            var e = body[++i];
            switch (e)
            {
                case 'a': bytes.Add(0x07); break;
                case 'b': bytes.Add(0x08); break;
                case 'f': bytes.Add(0x0C); break;
                case 'n': bytes.Add(0x0A); break;
                case 'r': bytes.Add(0x0D); break;
                case 't': bytes.Add(0x09); break;
                case 'v': bytes.Add(0x0B); break;
                case 'x':
                    bytes.Add(byte.Parse(body.Slice(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
                    i += 2;
                    break;
                case 'u' or 'U':
                    var digits = e == 'u' ? 4 : 8;
                    var rune = new Rune(int.Parse(body.Slice(i + 1, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
                    AddRange(bytes, utf8[..rune.EncodeToUtf8(utf8)]);
                    i += digits;
                    break;
                case >= '0' and <= '7':
                    bytes.Add((byte)(((e - '0') * 64) + ((body[i + 1] - '0') * 8) + (body[i + 2] - '0')));
                    i += 2;
                    break;
                default:
                    // \\, \' and \": the character itself.
                    bytes.Add((byte)e);
                    break;
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    /// <summary>A double-quoted PromQL string literal whose value is exactly <paramref name="value"/>.</summary>
    public static string Quote(string value)
    {
        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (var rune in value.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case < 0x20 or 0x7F:
                    sb.Append("\\x").Append(rune.Value.ToString("x2", CultureInfo.InvariantCulture));
                    break;
                default:
                    // EnumerateRunes yields U+FFFD for a lone surrogate, which keeps the literal valid UTF-8.
                    sb.Append(rune.ToString());
                    break;
            }
        }

        return sb.Append('"').ToString();
    }

    /// <summary>
    /// <paramref name="value"/> quoted for a log line or exception message: every character outside printable
    /// ASCII is escaped and the text is cut after <paramref name="maxChars"/> characters, so hostile input
    /// (newlines, control characters, 10 kB) cannot break or flood a log line.
    /// </summary>
    public static string ForDisplay(string? value, int maxChars = 64)
    {
        if (value is null)
        {
            return "(null)";
        }

        var sb = new StringBuilder().Append('"');
        var shown = Math.Min(value.Length, maxChars);
        for (var i = 0; i < shown; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case < ' ' or > '~':
                    sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    break;
                default: sb.Append(c); break;
            }
        }

        sb.Append('"');
        if (shown < value.Length)
        {
            sb.Append(CultureInfo.InvariantCulture, $"… ({value.Length} characters)");
        }

        return sb.ToString();
    }

    private static void AddRange(List<byte> bytes, ReadOnlySpan<byte> span)
    {
        foreach (var b in span)
        {
            bytes.Add(b);
        }
    }
}
