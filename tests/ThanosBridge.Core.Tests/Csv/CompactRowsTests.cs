using ThanosBridge.Core.Csv;
using ThanosBridge.Core.Reports;

namespace ThanosBridge.Core.Tests.Csv;

public class CompactRowsTests
{
    private static string[] Row(int i) =>
    [
        $"2026-11-20 {i % 24:D2}:00:00 +0000 UTC", $"pod-{i}", i % 7 == 0 ? "say \"hi\",\nthere" : "", (i * 0.001).ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        new string('x', i % 300), "label_app:web|label_tier:db",
    ];

    [Fact]
    public void RowsOverManyBlocks_ReadBackInOrder_ByIndexAndByEnumeration()
    {
        var rows = new CompactRows();
        const int count = 5_000;
        for (var i = 0; i < count; i++)
        {
            rows.Add(Row(i));
        }

        rows.Count.ShouldBe(count);
        foreach (var i in new[] { 0, 1, 999, 2_500, 4_998, count - 1, 17 })
        {
            rows[i].ShouldBe(Row(i), $"row {i}");
        }

        var n = 0;
        foreach (var row in rows)
        {
            row.ShouldBe(Row(n), $"row {n}");
            n++;
        }

        n.ShouldBe(count);
        Should.Throw<ArgumentOutOfRangeException>(() => rows[count]);
    }

    [Fact]
    public void AsTableRows_PackageToTheSameBytesAsTheStrings()
    {
        string[][] strings = [.. Enumerable.Range(0, 3_000).Select(Row)];
        var compact = new CompactRows();
        compact.AddRange(strings);
        var header = new[] { "a", "b", "c", "d", "e", "f" };

        CsvWriter.ToBytes(new CsvTable(ReportKind.Pod, "x.csv", header, compact))
            .ShouldBe(CsvWriter.ToBytes(new CsvTable(ReportKind.Pod, "x.csv", header, strings)));
        compact.RowAt(2_999).JoinedByteCount.ShouldBe(System.Text.Encoding.UTF8.GetByteCount(string.Join(',', strings[2_999])));
    }

    [Fact]
    public void AsTableRows_ARowWithAnotherFieldCount_IsNamedBeforeAnythingIsWritten()
    {
        var rows = new CompactRows();
        rows.AddRange(Enumerable.Range(0, 2_000).Select(Row));
        rows.Add(["only", "three", "fields"]);

        Should.Throw<ArgumentException>(() => new CsvTableStream(new CsvTable(ReportKind.Pod, "x.csv", ["a", "b", "c", "d", "e", "f"], rows)))
            .Message.ShouldContain("row 2000 has 3 fields, the header has 6");
    }
}
