using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using ThanosBridge.Core.Csv;
using ThanosBridge.Core.Reports;

namespace ThanosBridge.Core.Packaging;

/// <summary>
/// Reads the report tables back out of a snapshot's tar.gz part(s), so that the next snapshot of the same day can reuse
/// the hours already collected and query only the new ones.
/// </summary>
public static class PayloadReader
{
    /// <summary>The tables in report order; split parts of one report are joined back in part order.</summary>
    /// <exception cref="InvalidDataException">A member's name does not follow CMMO's naming, or its CSV is malformed.</exception>
    public static IReadOnlyList<CsvTable> ReadTables(IEnumerable<byte[]> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var pieces = new List<(ReportKind Kind, string Month, int Part, string[] Header, CompactRows Rows)>();
        foreach (var content in parts)
        {
            using var gzip = new GZipStream(new MemoryStream(content), CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            while (tar.GetNextEntry() is { } entry)
            {
                if (entry.Name == "manifest.json" || entry.DataStream is null)
                {
                    continue;
                }

                var (kind, month, part) = ParseName(entry.Name);
                using var reader = new StreamReader(entry.DataStream, Encoding.UTF8);
                string[]? header = null;
                var rows = new CompactRows();
                try
                {
                    // Rows are kept as deflated CSV text, never as a whole day of strings (CompactRows).
                    foreach (var record in CsvReader.Read(reader))
                    {
                        if (header is null)
                        {
                            header = record;
                        }
                        else
                        {
                            rows.Add(record);
                        }
                    }
                }
                catch (FormatException e)
                {
                    throw new InvalidDataException($"payload member {entry.Name}: {e.Message}", e);
                }

                pieces.Add((kind, month, part, header ?? throw new InvalidDataException($"payload member {entry.Name} has no header"), rows));
            }
        }

        var tables = new List<CsvTable>();
        foreach (var group in pieces.GroupBy(p => p.Kind).OrderBy(g => g.Key))
        {
            var ordered = group.OrderBy(p => p.Part).ToList();
            var rows = new CompactRows();
            foreach (var piece in ordered)
            {
                rows.AddRange(piece.Rows);
            }

            tables.Add(new CsvTable(group.Key, $"{group.Key.FileStem()}-{ordered[0].Month}.csv", ordered[0].Header, rows));
        }

        return tables;
    }

    /// <summary>
    /// <c>&lt;uuid&gt;-&lt;stem&gt;-YYYYMM[n].&lt;idx&gt;.csv</c>, where n numbers the parts of a split file (cmmo-output.md §4.2–4.3).
    /// </summary>
    private static (ReportKind Kind, string Month, int Part) ParseName(string name)
    {
        const int UuidLength = 36;
        var body = name.Length > UuidLength + 1 && name.EndsWith(".csv", StringComparison.Ordinal) ? name[(UuidLength + 1)..^4] : "";
        var dot = body.LastIndexOf('.');
        if (dot > 0)
        {
            body = body[..dot];
        }

        foreach (var kind in Enum.GetValues<ReportKind>().OrderByDescending(k => k.FileStem().Length))
        {
            var prefix = kind.FileStem() + "-";
            if (body.StartsWith(prefix, StringComparison.Ordinal) && body.Length >= prefix.Length + 6)
            {
                var month = body.Substring(prefix.Length, 6);
                var rest = body[(prefix.Length + 6)..];
                if (month.All(char.IsAsciiDigit) && rest.All(char.IsAsciiDigit))
                {
                    return (kind, month, rest.Length == 0 ? 0 : int.Parse(rest, System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }

        throw new InvalidDataException($"payload member {name} is not named like a CMMO report file");
    }
}
