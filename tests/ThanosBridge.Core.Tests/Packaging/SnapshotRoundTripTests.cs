using ThanosBridge.Core.Csv;
using ThanosBridge.Core.Discovery;
using ThanosBridge.Core.Packaging;
using ThanosBridge.Core.Reports;
using ThanosBridge.TestSupport.Koku;

namespace ThanosBridge.Core.Tests.Packaging;

/// <summary>The next snapshot of a day is built from the previous payload's CSVs plus the new hours' rows.</summary>
public class SnapshotRoundTripTests
{
    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    private static byte[][] Package(IReadOnlyList<CsvTable> tables, int hours, int maxMegabytes = 100) =>
        [.. PayloadPackager.Package(new PayloadRequest
        {
            ClusterId = ClusterId.Parse("c1"),
            Uuid = Guid.NewGuid(),
            PackagingTime = Day.AddDays(1),
            Start = Day,
            End = Day.AddHours(hours).AddSeconds(-1),
            Tables = tables,
            MaxSizeMegabytes = maxMegabytes,
        }).Payloads.Select(p => p.Content)];

    [Fact]
    public void ReadTables_OfAPackagedSnapshot_ReturnsTheSameTables()
    {
        var tables = SampleReportTables.ForDay(Day, 3, includeRos: true);

        var read = PayloadReader.ReadTables(Package(tables, 3));

        read.Select(t => t.Kind).ShouldBe(tables.Select(t => t.Kind).Order());
        foreach (var table in tables)
        {
            var back = read.Single(t => t.Kind == table.Kind);
            back.FileName.ShouldBe(table.FileName);
            back.Header.ShouldBe(table.Header);
            back.Rows.Select(r => string.Join('\u001f', r)).ShouldBe(table.Rows.Select(r => string.Join('\u001f', r)), $"{table.Kind} rows");
        }
    }

    [Fact]
    public void Merge_PreviousHoursPlusNewHours_EqualsTheTablesOfAllHours()
    {
        var all = SampleReportTables.ForDay(Day, 3, includeRos: true);
        var previous = PayloadReader.ReadTables(Package(Hours(all, 0, 2), 2));
        var added = new ReportSet(Hours(all, 2, 1), [Day.AddHours(2)]);

        var merged = SnapshotMerger.Merge(previous, added);

        merged.ShouldNotBeNull();
        foreach (var table in all)
        {
            merged.Single(t => t.Kind == table.Kind).Rows.Select(r => string.Join(',', r))
                .ShouldBe(table.Rows.Select(r => string.Join(',', r)), $"{table.Kind}");
        }
    }

    [Fact]
    public void Merge_PreviousWithAnotherHeader_ReturnsNullSoTheDayIsCollectedAgain()
    {
        var all = SampleReportTables.ForDay(Day, 1);
        var pod = all.Single(t => t.Kind == ReportKind.Pod);
        var old = all.Where(t => t.Kind != ReportKind.Pod).Append(pod with { Header = [.. pod.Header.Take(pod.Header.Count - 1)], Rows = [] }).ToList();

        SnapshotMerger.Merge(old, new ReportSet(all, [Day])).ShouldBeNull();
    }

    [Fact]
    public void Merge_NoRosRowsAnywhere_LeavesRosTablesOut()
    {
        var cost = SampleReportTables.ForDay(Day, 2);

        var merged = SnapshotMerger.Merge(Hours(cost, 0, 1), new ReportSet(Hours(cost, 1, 1), [Day.AddHours(1)]))!;

        merged.Count.ShouldBe(6);
        merged.ShouldAllBe(t => !t.Kind.IsResourceOptimization());
    }

    [Fact]
    public void ReadTables_OfASplitSnapshot_JoinsThePartsInOrder()
    {
        // Enough rows that a 1 MiB limit splits the pod file into several parts (cmmo-output.md §4.3).
        var tables = SampleReportTables.ForDay(Day, 3).Select(t => t.Kind == ReportKind.Pod ? Repeat(t, 12_000) : t).ToList();
        var parts = Package(tables, 3, maxMegabytes: 1);
        parts.Length.ShouldBeGreaterThan(6, "the pod report must have been split");

        var pod = PayloadReader.ReadTables(parts).Single(t => t.Kind == ReportKind.Pod);

        pod.Rows.Count.ShouldBe(tables.Single(t => t.Kind == ReportKind.Pod).Rows.Count);
        pod.Rows.Select(r => r[6]).ShouldBe(tables.Single(t => t.Kind == ReportKind.Pod).Rows.Select(r => r[6]));
    }

    [Theory]
    [InlineData("a,b\n1,2\n", new[] { "a|b", "1|2" })]
    [InlineData("a,b\n\"x,y\",\"he said \"\"hi\"\"\"\n", new[] { "a|b", "x,y|he said \"hi\"" })]
    [InlineData("a,b\n,\n", new[] { "a|b", "|" })]
    [InlineData("a\n\"line\nbreak\"\n", new[] { "a", "line\nbreak" })]
    [InlineData("a,b\r\n1,2\r\n", new[] { "a|b", "1|2" })]
    public void CsvReader_ReadsWhatGoEncodingCsvWrites(string text, string[] expected) =>
        CsvReader.ReadAll(text).Select(r => string.Join('|', r)).ShouldBe(expected);

    [Theory]
    [InlineData("a\n\"open\n")]
    [InlineData("a\nx\"y\n")]
    public void CsvReader_MalformedText_Throws(string text) => Should.Throw<FormatException>(() => CsvReader.ReadAll(text));

    private static List<CsvTable> Hours(IReadOnlyList<CsvTable> tables, int from, int count)
    {
        // By the hour of interval_start ("yyyy-MM-dd HH"): ROS windows start at HH:00:01, HH:15:01, ...
        var hours = Enumerable.Range(from, count).Select(h => CsvFormat.Timestamp(Day.AddHours(h))[..13]).ToHashSet();
        return [.. tables.Select(t => t with { Rows = [.. t.Rows.Where(r => hours.Contains(r[2][..13]))] })
            .Where(t => !t.Kind.IsResourceOptimization() || t.Rows.Count > 0)];
    }

    private static CsvTable Repeat(CsvTable table, int times) =>
        table with { Rows = [.. Enumerable.Range(0, times).SelectMany(i => table.Rows.Select(r => (IReadOnlyList<string>)[.. r.Take(6), $"pod-{i:D6}", .. r.Skip(7)]))] };
}
