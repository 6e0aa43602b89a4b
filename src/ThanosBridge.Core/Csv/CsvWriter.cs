namespace ThanosBridge.Core.Csv;

/// <summary>
/// Writes a <see cref="CsvTable"/> byte-for-byte as Go's <c>encoding/csv</c> writer with default settings does
/// (cmmo-output.md §3.1): <c>,</c> separator, LF line ends, UTF-8 without BOM, minimal quoting.
/// </summary>
public static class CsvWriter
{
    /// <summary>Writes the header line and then every row. Rows must have as many fields as the header.</summary>
    public static void Write(CsvTable table, Stream output)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(output);
        using var csv = new CsvTableStream(table);
        csv.CopyTo(output);
    }

    /// <summary>The bytes <see cref="Write"/> produces.</summary>
    public static byte[] ToBytes(CsvTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        using var csv = new CsvTableStream(table);
        var bytes = new byte[csv.Length];
        csv.ReadExactly(bytes);
        return bytes;
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
}
