using System.Text;

namespace ThanosBridge.Core.Csv;

/// <summary>
/// Writes a <see cref="CsvTable"/> byte-for-byte as Go's <c>encoding/csv</c> writer with default settings does
/// (cmmo-output.md §3.1): <c>,</c> separator, LF line ends, UTF-8 without BOM, minimal quoting.
/// </summary>
public static class CsvWriter
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes the header line and then every row. Rows must have as many fields as the header.</summary>
    public static void Write(CsvTable table, Stream output)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(output);

        using var writer = new StreamWriter(output, Utf8NoBom, bufferSize: 64 * 1024, leaveOpen: true);
        WriteRecord(writer, table.Header);
        for (var i = 0; i < table.Rows.Count; i++)
        {
            var row = table.Rows[i];
            // koku skips rows with too many fields and pads short ones: a mismatch is a bug, not data.
            if (row.Count != table.Header.Count)
            {
                throw new ArgumentException(
                    $"{table.FileName}: row {i} has {row.Count} fields, the header has {table.Header.Count}.",
                    nameof(table));
            }

            WriteRecord(writer, row);
        }
    }

    /// <summary>The bytes <see cref="Write"/> produces.</summary>
    public static byte[] ToBytes(CsvTable table)
    {
        using var buffer = new MemoryStream();
        Write(table, buffer);
        return buffer.ToArray();
    }

    /// <summary>Go's <c>fieldNeedsQuotes</c>.</summary>
    internal static bool NeedsQuotes(string field)
    {
        if (field.Length == 0)
        {
            return false;
        }

        if (field == @"\.")
        {
            return true;
        }

        if (field.AsSpan().IndexOfAny(",\"\r\n") >= 0)
        {
            return true;
        }

        // Go tests the first rune with unicode.IsSpace; every Unicode White_Space code point is in the BMP and
        // char.IsWhiteSpace covers the same set.
        return char.IsWhiteSpace(field[0]);
    }

    private static void WriteRecord(StreamWriter writer, IReadOnlyList<string> record)
    {
        for (var i = 0; i < record.Count; i++)
        {
            if (i > 0)
            {
                writer.Write(',');
            }

            var field = record[i] ?? string.Empty;
            if (!NeedsQuotes(field))
            {
                writer.Write(field);
                continue;
            }

            // Inside quotes only '"' is escaped; CR and LF are written as they are (Go's UseCRLF is false).
            writer.Write('"');
            writer.Write(field.Replace("\"", "\"\"", StringComparison.Ordinal));
            writer.Write('"');
        }

        writer.Write('\n');
    }
}
