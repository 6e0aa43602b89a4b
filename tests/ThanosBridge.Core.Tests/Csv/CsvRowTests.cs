using System.Text;
using ThanosBridge.Core.Csv;
using ThanosBridge.Core.Reports;

namespace ThanosBridge.Core.Tests.Csv;

public class CsvRowTests
{
    private static readonly string[][] Rows =
    [
        ["", "plain", "a,b", "say \"hi\"", "line\nbreak", "carriage\rreturn", " leading", "\\.", "café", ""],
        ["2026-11-20 00:00:00 +0000 UTC", "", "", "", "", "", "", "", "", "label_app:web|label_tier:db"],
        ["", "", "", "", "", "", "", "", "", ""],
    ];

    [Fact]
    public void Of_Fields_ReadsBackTheSameFields_AndKeepsCmmosSplitEstimate()
    {
        foreach (var fields in Rows)
        {
            var row = CsvRow.Of(fields);

            row.Count.ShouldBe(fields.Length);
            row.ToArray().ShouldBe(fields);
            row[3].ShouldBe(fields[3]);
            row.JoinedByteCount.ShouldBe(Encoding.UTF8.GetByteCount(string.Join(',', fields)));
        }
    }

    [Fact]
    public void Utf8_IsTheLineTheWriterWritesForTheFields()
    {
        var table = new CsvTable(ReportKind.Node, "x.csv", [.. Enumerable.Range(0, 10).Select(i => $"c{i}")], Rows);
        var written = Encoding.UTF8.GetString(CsvWriter.ToBytes(table));

        var lines = string.Concat(Rows.Select(r => Encoding.UTF8.GetString(CsvRow.Of(r).Utf8) + "\n"));
        written.ShouldBe(string.Join(',', table.Header) + "\n" + lines);
        CsvReader.ReadAll(written).Skip(1).ShouldBe(Rows);
    }

    [Fact]
    public void TableStream_HasTheWritersBytesAndLength_RowsGivenAsStringsOrAsCsvRows_AndRewinds()
    {
        var header = Enumerable.Range(0, 10).Select(i => $"c{i}").ToArray();
        var asStrings = new CsvTable(ReportKind.Node, "x.csv", header, Rows);
        var asRows = asStrings with { Rows = [.. Rows.Select(CsvRow.Of)] };
        var expected = CsvWriter.ToBytes(asStrings);

        using var stream = new CsvTableStream(asRows);
        stream.Length.ShouldBe(expected.Length);
        var buffer = new byte[expected.Length + 7];
        var read = 0;
        int n;
        while ((n = stream.Read(buffer, read, Math.Min(5, buffer.Length - read))) > 0)
        {
            read += n;
        }

        buffer.AsSpan(0, read).ToArray().ShouldBe(expected);
        stream.Position = 0;
        using var again = new MemoryStream();
        stream.CopyTo(again);
        again.ToArray().ShouldBe(expected);
        Should.Throw<NotSupportedException>(() => stream.Position = 3);
    }

    [Fact]
    public void TableStream_RowWithWrongFieldCount_Throws() =>
        Should.Throw<ArgumentException>(() => new CsvTableStream(new CsvTable(ReportKind.Node, "x.csv", ["a", "b"], [CsvRow.Of(["1"])])))
            .Message.ShouldContain("row 0 has 1 fields, the header has 2");

    [Fact]
    public void Reader_Streaming_ReadsWhatReadAllReads()
    {
        const string text = "a,b\n\"x,\"\"y\"\"\nz\",\r\n,\n";
        using var reader = new StringReader(text);

        CsvReader.Read(reader).ToList().ShouldBe(CsvReader.ReadAll(text));
        CsvReader.ReadAll(text).ShouldBe([["a", "b"], ["x,\"y\"\nz", ""], ["", ""]]);
    }
}
