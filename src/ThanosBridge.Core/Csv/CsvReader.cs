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
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        var line = 1;
        while (i < text.Length)
        {
            if (text[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        throw new FormatException($"CSV line {line}: a quoted field is not closed");
                    }

                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    if (text[i] == '\n')
                    {
                        line++;
                    }

                    field.Append(text[i++]);
                }
            }
            else
            {
                while (i < text.Length && text[i] is not (',' or '\n' or '\r'))
                {
                    if (text[i] == '"')
                    {
                        throw new FormatException($"CSV line {line}: a quote inside an unquoted field");
                    }

                    field.Append(text[i++]);
                }
            }

            fields.Add(field.ToString());
            field.Clear();
            if (i < text.Length && text[i] == ',')
            {
                i++;
                if (i == text.Length)
                {
                    fields.Add("");
                }

                continue;
            }

            if (i < text.Length && text[i] == '\r')
            {
                i++;
            }

            if (i < text.Length && text[i] == '\n')
            {
                i++;
            }

            records.Add([.. fields]);
            fields.Clear();
            line++;
        }

        if (fields.Count > 0)
        {
            records.Add([.. fields]);
        }

        return records;
    }
}
