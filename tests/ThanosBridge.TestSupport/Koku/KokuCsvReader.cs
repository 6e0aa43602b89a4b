using System.Text;

namespace ThanosBridge.TestSupport.Koku;

/// <summary>
/// A strict CSV reader in the dialect koku reads (pandas C engine, <c>,</c>, <c>"</c> quoting with doubled quotes).
/// Strict where the writers disagree: a bare quote inside an unquoted field is an error (Go's reader rejects it,
/// pandas would keep it).
/// </summary>
public static class KokuCsvReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes UTF-8 (a BOM is skipped, as koku tolerates it) and splits into records; blank lines are skipped.</summary>
    /// <exception cref="FormatException">Invalid UTF-8 or malformed quoting; the message says where.</exception>
    public static List<List<string>> Read(byte[] content)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(content);
        }
        catch (DecoderFallbackException e)
        {
            throw new FormatException("not valid UTF-8: " + e.Message, e);
        }

        if (text.StartsWith('\uFEFF'))
        {
            text = text[1..];
        }

        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var i = 0;
        while (i < text.Length)
        {
            // At the start of a field.
            if (text[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        throw new FormatException($"line {line}: quoted field not closed");
                    }

                    var c = text[i++];
                    if (c == '"')
                    {
                        if (i < text.Length && text[i] == '"')
                        {
                            field.Append('"');
                            i++;
                            continue;
                        }

                        break;
                    }

                    if (c == '\n')
                    {
                        line++;
                    }

                    field.Append(c);
                }

                if (i < text.Length && text[i] is not (',' or '\n' or '\r'))
                {
                    throw new FormatException($"line {line}: text after a closing quote");
                }
            }
            else
            {
                while (i < text.Length && text[i] is not (',' or '\n' or '\r'))
                {
                    if (text[i] == '"')
                    {
                        throw new FormatException($"line {line}: bare \" in an unquoted field");
                    }

                    field.Append(text[i++]);
                }
            }

            record.Add(field.ToString());
            field.Clear();
            if (i >= text.Length)
            {
                break;
            }

            var separator = text[i++];
            if (separator == ',')
            {
                if (i >= text.Length)
                {
                    // A trailing comma at the end of input ends a last, empty field.
                    record.Add(string.Empty);
                }

                continue;
            }

            if (separator == '\r' && i < text.Length && text[i] == '\n')
            {
                i++;
            }

            EndRecord();
            line++;
        }

        if (record.Count > 0)
        {
            EndRecord();
        }

        return records;

        void EndRecord()
        {
            // A blank line is one empty field; pandas and Go skip it.
            if (record is not [""])
            {
                records.Add(record);
            }

            record = [];
        }
    }
}
