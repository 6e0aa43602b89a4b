using System.Collections;
using System.Text;

namespace ThanosBridge.Core.Csv;

/// <summary>
/// One CSV record kept as the bytes <see cref="CsvWriter"/> writes for it (UTF-8, Go's quoting, no line end), and read
/// back field by field only when asked. A cluster-day of a 2,000-pod cluster has ~75,000 rows of 25–50 fields; as
/// strings they took ~4× the memory of their CSV text, which is all packaging needs.
/// </summary>
public sealed class CsvRow : IReadOnlyList<string>
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    private readonly byte[] line;

    private CsvRow(byte[] line, int count, int joinedByteCount)
    {
        this.line = line;
        Count = count;
        JoinedByteCount = joinedByteCount;
    }

    /// <summary>The number of fields.</summary>
    public int Count { get; }

    /// <summary>The record as written, without the line end.</summary>
    public ReadOnlySpan<byte> Utf8 => line;

    /// <summary>UTF-8 bytes of the fields joined by ',' without quoting: CMMO's size estimate when it splits a file (§4.3).</summary>
    public int JoinedByteCount { get; }

    /// <summary>Decodes the record: for tests, checks and merging, never on the packaging path.</summary>
    public string this[int index] => index >= 0 && index < Count ? Fields()[index] : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>A row from bytes this class made (kept by <see cref="CompactRows"/>).</summary>
    internal static CsvRow FromUtf8(byte[] line, int count, int joinedByteCount) => new(line, count, joinedByteCount);

    public static CsvRow Of(IReadOnlyList<string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (fields is CsvRow row)
        {
            return row;
        }

        var text = new StringBuilder();
        var joined = Math.Max(0, fields.Count - 1);
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            var field = fields[i] ?? "";
            joined += Utf8NoBom.GetByteCount(field);
            if (!CsvWriter.NeedsQuotes(field))
            {
                text.Append(field);
                continue;
            }

            // Inside quotes only '"' is escaped; CR and LF are written as they are (Go's UseCRLF is false).
            text.Append('"').Append(field.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
        }

        return new CsvRow(Utf8NoBom.GetBytes(text.ToString()), fields.Count, joined);
    }

    /// <summary>The fields, decoded.</summary>
    public string[] Fields()
    {
        if (line.Length == 0)
        {
            return [.. Enumerable.Repeat("", Count)];
        }

        var records = CsvReader.ReadAll(Utf8NoBom.GetString(line));
        return records.Count == 1 && records[0].Length == Count
            ? records[0]
            : throw new InvalidOperationException("a CSV row does not read back as the record it was made from");
    }

    public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)Fields()).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
