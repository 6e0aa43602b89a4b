using System.Globalization;
using System.Text;

namespace ThanosBridge.Core.Packaging;

/// <summary>
/// Minimal writer whose output equals Go's <c>json.MarshalIndent(v, "", " ")</c>: one-space indent, <c>"key": value</c>,
/// empty containers as <c>{}</c>/<c>[]</c>, Go's HTML-safe string escaping. System.Text.Json cannot produce this
/// byte-exactly (its indent and escaping rules differ), and the manifest is small, so it is written by hand.
/// </summary>
internal sealed class GoJsonWriter
{
    private const string Hex = "0123456789abcdef";

    private readonly StringBuilder output = new();

    // One entry per open container: whether it already has an element.
    private readonly Stack<bool> containers = new();

    // Set by Name: the next value completes that member instead of starting a new element.
    private bool pendingValueAfterName;

    public override string ToString() => output.ToString();

    public GoJsonWriter BeginObject() => Open('{');

    public GoJsonWriter EndObject() => Close('}');

    public GoJsonWriter BeginArray() => Open('[');

    public GoJsonWriter EndArray() => Close(']');

    /// <summary>Starts an object member; the value call follows.</summary>
    public GoJsonWriter Name(string name)
    {
        NextElement();
        WriteQuoted(name);
        output.Append(": ");
        pendingValueAfterName = true;
        return this;
    }

    public GoJsonWriter String(string value)
    {
        BeforeValue();
        WriteQuoted(value);
        return this;
    }

    public GoJsonWriter Number(long value)
    {
        BeforeValue();
        output.Append(value.ToString(CultureInfo.InvariantCulture));
        return this;
    }

    public GoJsonWriter Bool(bool value)
    {
        BeforeValue();
        output.Append(value ? "true" : "false");
        return this;
    }

    public GoJsonWriter Null()
    {
        BeforeValue();
        output.Append("null");
        return this;
    }

    /// <summary>Go <c>time.Time</c> JSON: RFC 3339 with up to 9 fraction digits, trailing zeros trimmed, UTC as Z.</summary>
    public GoJsonWriter Time(DateTimeOffset value) => String(FormatTime(value, keepFraction: true));

    /// <summary>Kubernetes <c>metav1.Time</c> JSON: RFC 3339 whole seconds (truncated), <c>null</c> when absent.</summary>
    public GoJsonWriter MetaTime(DateTimeOffset? value) =>
        value is { } v ? String(FormatTime(v, keepFraction: false)) : Null();

    internal static string FormatTime(DateTimeOffset value, bool keepFraction)
    {
        var t = value.UtcDateTime;
        var text = t.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        var fractionTicks = t.Ticks % TimeSpan.TicksPerSecond;
        if (keepFraction && fractionTicks != 0)
        {
            // 100 ns ticks give at most 7 digits; Go trims the trailing zeros of its 9-digit fraction.
            text += "." + fractionTicks.ToString("D7", CultureInfo.InvariantCulture).TrimEnd('0');
        }

        return text + "Z";
    }

    private GoJsonWriter Open(char bracket)
    {
        BeforeValue();
        output.Append(bracket);
        containers.Push(false);
        return this;
    }

    private GoJsonWriter Close(char bracket)
    {
        var hadElements = containers.Pop();
        if (hadElements)
        {
            NewLine();
        }

        output.Append(bracket);
        return this;
    }

    private void BeforeValue()
    {
        if (pendingValueAfterName)
        {
            pendingValueAfterName = false;
            return;
        }

        if (containers.Count > 0)
        {
            // An array element.
            NextElement();
        }
    }

    private void NextElement()
    {
        if (containers.Pop())
        {
            output.Append(',');
        }

        containers.Push(true);
        NewLine();
    }

    private void NewLine() => output.Append('\n').Append(' ', containers.Count);

    /// <summary>Go's <c>encoding/json</c> string encoder with <c>escapeHTML</c> on (the Marshal default).</summary>
    private void WriteQuoted(string value)
    {
        output.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': output.Append("\\\""); break;
                case '\\': output.Append("\\\\"); break;
                case '\b': output.Append("\\b"); break;
                case '\f': output.Append("\\f"); break;
                case '\n': output.Append("\\n"); break;
                case '\r': output.Append("\\r"); break;
                case '\t': output.Append("\\t"); break;
                case < ' ' or '<' or '>' or '&' or '\u2028' or '\u2029':
                    AppendUnicodeEscape(c);
                    break;
                default:
                    if (char.IsSurrogate(c))
                    {
                        if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                        {
                            output.Append(c).Append(value[++i]);
                        }
                        else
                        {
                            // Go replaces invalid UTF-8 with U+FFFD; a lone surrogate is the UTF-16 equivalent.
                            output.Append("\\ufffd");
                        }
                    }
                    else
                    {
                        output.Append(c);
                    }

                    break;
            }
        }

        output.Append('"');
    }

    private void AppendUnicodeEscape(char c) =>
        output.Append("\\u")
            .Append(Hex[(c >> 12) & 0xF])
            .Append(Hex[(c >> 8) & 0xF])
            .Append(Hex[(c >> 4) & 0xF])
            .Append(Hex[c & 0xF]);
}
