using System.Globalization;
using ThanosBridge.Core.Csv;

namespace ThanosBridge.Core.Packaging;

/// <summary>CMMO's split of an oversized CSV into parts (cmmo-output.md §4.3).</summary>
internal static class CsvSplitter
{
    /// <summary>CMMO makes at most 999 parts.</summary>
    public const int MaxParts = 999;

    /// <summary>
    /// Splits <paramref name="table"/> into parts named <c>&lt;name without .csv&gt;&lt;n&gt;.csv</c> (n from 1, no
    /// separator), each with the header. Each row adds <c>len(join(row, ","))</c> + <c>int(len × 0.03)</c> (UTF-8
    /// bytes) to the part's estimate; a part closes once the estimate is ≥ <paramref name="maxBytes"/>, keeping the
    /// row that crossed it. Unlike CMMO, no header-only trailing part is made, and rows that would need a 1000th part
    /// throw instead of being dropped.
    /// </summary>
    public static IReadOnlyList<CsvTable> Split(CsvTable table, long maxBytes)
    {
        var stem = table.FileName[..^".csv".Length];
        var parts = new List<CsvTable>();
        var next = 0;
        do
        {
            if (parts.Count == MaxParts)
            {
                throw new InvalidOperationException(
                    $"{table.FileName} needs more than {MaxParts} parts of {maxBytes} bytes; {table.Rows.Count - next} rows would be lost.");
            }

            var first = next;
            long estimate = 0;
            while (next < table.Rows.Count && estimate < maxBytes)
            {
                var length = CsvRow.Of(table.Rows[next]).JoinedByteCount;
                estimate += length + (long)(length * 0.03);
                next++;
            }

            var name = string.Create(CultureInfo.InvariantCulture, $"{stem}{parts.Count + 1}.csv");
            parts.Add(table with { FileName = name, Rows = Slice(table.Rows, first, next - first) });
        }
        while (next < table.Rows.Count);

        return parts;
    }

    private static IReadOnlyList<string>[] Slice(IReadOnlyList<IReadOnlyList<string>> rows, int start, int count)
    {
        var slice = new IReadOnlyList<string>[count];
        for (var i = 0; i < count; i++)
        {
            slice[i] = rows[start + i];
        }

        return slice;
    }
}
