using System.Text;

namespace ThanosBridge.Core.Csv;

/// <summary>Reads CSV as <see cref="CsvWriter"/> writes it (Go encoding/csv: ',' separator, '"' quoting, LF or CRLF).</summary>
public static class CsvReader
{
    /// <summary>All records of <paramref name="text"/>; the first one is the header.</summary>
    /// <exception cref="FormatException">A quoted field is not closed, or a quote stands inside an unquoted field.</exception>
    public static List<string[]> ReadAll(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var reader = new StringReader(text);
        return [.. Read(reader)];
    }

    /// <summary>The records of <paramref name="reader"/> one at a time, so that a large file is never held as one string.</summary>
    /// <exception cref="FormatException">A quoted field is not closed, or a quote stands inside an unquoted field.</exception>
    public static IEnumerable<string[]> Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        while (reader.Peek() >= 0)
        {
            if (reader.Peek() == '"')
            {
                reader.Read();
                while (true)
                {
                    var c = reader.Read();
                    if (c < 0)
                    {
                        throw new FormatException($"CSV line {line}: a quoted field is not closed");
                    }

                    if (c == '"')
                    {
                        if (reader.Peek() == '"')
                        {
                            reader.Read();
                            field.Append('"');
                            continue;
                        }

                        break;
                    }

                    if (c == '\n')
                    {
                        line++;
                    }

                    field.Append((char)c);
                }
            }
            else
            {
                while (reader.Peek() is >= 0 and not (',' or '\n' or '\r'))
                {
                    if (reader.Peek() == '"')
                    {
                        throw new FormatException($"CSV line {line}: a quote inside an unquoted field");
                    }

                    field.Append((char)reader.Read());
                }
            }

            fields.Add(field.ToString());
            field.Clear();
            if (reader.Peek() == ',')
            {
                reader.Read();
                if (reader.Peek() < 0)
                {
                    fields.Add("");
                }

                continue;
            }

            if (reader.Peek() == '\r')
            {
                reader.Read();
            }

            if (reader.Peek() == '\n')
            {
                reader.Read();
            }

            yield return [.. fields];
            fields.Clear();
            line++;
        }

        if (fields.Count > 0)
        {
            yield return [.. fields];
        }
    }
}
