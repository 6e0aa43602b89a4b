using System.Text;
using ThanosBridge.Core.Csv;
using ThanosBridge.Core.Packaging;
using ThanosBridge.Core.Reports;
using ThanosBridge.TestSupport.Koku;
using static ThanosBridge.Core.Tests.Packaging.PackagingTestData;

namespace ThanosBridge.Core.Tests.Packaging;

public class PayloadSplitTests
{
    private static CsvTable PodTable(int rows, int rowLength, string text = "x") => new(
        ReportKind.Pod,
        "cm-openshift-pod-usage-202608.csv",
        ["a", "b"],
        [.. Enumerable.Range(0, rows).Select(_ => (IReadOnlyList<string>)[string.Concat(Enumerable.Repeat(text, rowLength - 1)), ""])]);

    /// <summary>CMMO's per-row size estimate, computed here independently of the splitter.</summary>
    private static long Estimate(IReadOnlyList<string> row)
    {
        var length = Encoding.UTF8.GetByteCount(string.Join(",", row));
        return length + (long)Math.Floor(length * 0.03);
    }

    /// <summary>n of <c>…-cm-openshift-pod-usage-202608&lt;n&gt;.&lt;idx&gt;.csv</c>.</summary>
    private static int PartNumber(string name)
    {
        var rest = name[(name.IndexOf("-pod-usage-202608", StringComparison.Ordinal) + "-pod-usage-202608".Length)..];
        return int.Parse(rest[..rest.IndexOf('.', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Split_RowsOf103EstimatedBytes_PartClosesOnceEstimateReachesLimit()
    {
        // Each row joins to 100 bytes, estimated 100 + 3; the third row crosses 300 and stays in its part.
        var parts = CsvSplitter.Split(PodTable(rows: 7, rowLength: 100), maxBytes: 300);

        parts.Select(p => p.FileName).ShouldBe(
            ["cm-openshift-pod-usage-2026081.csv", "cm-openshift-pod-usage-2026082.csv", "cm-openshift-pod-usage-2026083.csv"]);
        parts.Select(p => p.Rows.Count).ShouldBe([3, 3, 1]);
        parts.ShouldAllBe(p => p.Header.SequenceEqual(new[] { "a", "b" }) && p.Kind == ReportKind.Pod);
    }

    [Theory]
    [InlineData(35, 1)] // 34 + int(1.02) = 35 ≥ 35: the 3 % term alone closes the part
    [InlineData(36, 2)]
    public void Split_EstimateIncludesThreePercent_RowsPerPartFollow(long maxBytes, int rowsPerPart) =>
        CsvSplitter.Split(PodTable(rows: 4, rowLength: 34), maxBytes).ShouldAllBe(p => p.Rows.Count == rowsPerPart);

    [Fact]
    public void Split_MultiByteCharacters_CountedAsUtf8Bytes() =>
        // "éé," is 5 bytes, not 3 characters: two rows reach 10.
        CsvSplitter.Split(PodTable(rows: 4, rowLength: 3, text: "é"), maxBytes: 10).Select(p => p.Rows.Count).ShouldBe([2, 2]);

    [Fact]
    public void Split_RowsExactlyFillLastPart_NoHeaderOnlyTrailingPart() =>
        CsvSplitter.Split(PodTable(rows: 3, rowLength: 100), maxBytes: 309).ShouldHaveSingleItem().Rows.Count.ShouldBe(3);

    [Fact]
    public void Split_NoRows_OneHeaderOnlyPart() =>
        CsvSplitter.Split(PodTable(rows: 0, rowLength: 1), maxBytes: 1).ShouldHaveSingleItem().FileName.ShouldBe("cm-openshift-pod-usage-2026081.csv");

    [Fact]
    public void Split_Exactly999Parts_Allowed()
    {
        var parts = CsvSplitter.Split(PodTable(rows: 999, rowLength: 2), maxBytes: 1);

        parts.Count.ShouldBe(999);
        parts[^1].FileName.ShouldBe("cm-openshift-pod-usage-202608999.csv");
    }

    [Fact]
    public void Split_MoreThan999PartsNeeded_ThrowsInsteadOfDroppingRows() =>
        Should.Throw<InvalidOperationException>(() => CsvSplitter.Split(PodTable(rows: 1000, rowLength: 2), maxBytes: 1))
            .Message.ShouldContain("1 rows would be lost");

    [Fact]
    public void Package_TotalReachesLimitButNoFileDoes_OneTarballPerCsvWithSameManifest()
    {
        var request = Request();
        var sizes = request.Tables.Select(t => (long)CsvWriter.ToBytes(t).Length).ToList();
        var maxBytes = sizes.Max() + 1;

        var result = PayloadPackager.Package(request, maxBytes);

        result.IsSplit.ShouldBeTrue();
        result.Payloads.Select(p => p.FileName).ShouldBe(Enumerable.Range(0, 8).Select(i => $"{UuidText}-{i}.tar.gz"));
        var unsplitNames = PayloadPackager.Package(request).Manifest.Files;
        result.Manifest.Files.ShouldBe(unsplitNames);
        var manifestBytes = result.Manifest.ToUtf8Bytes();
        for (var i = 0; i < 8; i++)
        {
            var members = Members(result.Payloads[i].Content);
            members.Count.ShouldBe(2);
            members[0].Name.ShouldEndWith($".{i}.csv");
            members[1].Name.ShouldBe("manifest.json");
            members[1].Content.ShouldBe(manifestBytes);
        }

        KokuPayloadValidator.AssertValid([.. result.Payloads.Select(p => p.Content)]);
    }

    [Fact]
    public void Package_TotalExactlyAtLimit_Splits()
    {
        var request = Request();
        var total = request.Tables.Sum(t => (long)CsvWriter.ToBytes(t).Length);

        PayloadPackager.Package(request, total).IsSplit.ShouldBeTrue();
        PayloadPackager.Package(request, total + 1).IsSplit.ShouldBeFalse();
    }

    [Fact]
    public void Package_LargePodFile_SplitIntoPartsNamedAndIndexedInNameOrder()
    {
        var day = SampleReportTables.ForDay(Day, 24);
        var pod = day.Single(t => t.Kind == ReportKind.Pod);
        pod = pod with { Rows = [.. pod.Rows, .. pod.Rows, .. pod.Rows] };
        // Every other table small: one row, or header only for VM and GPU.
        var tables = day.Select(t => t.Kind switch
        {
            ReportKind.Pod => pod,
            ReportKind.VirtualMachine or ReportKind.NvidiaGpu => t with { Rows = [] },
            _ => t with { Rows = [t.Rows[0]] },
        }).ToList();
        const long maxBytes = 2000;
        tables.Where(t => t.Kind != ReportKind.Pod).ShouldAllBe(t => CsvWriter.ToBytes(t).Length < maxBytes);

        var result = PayloadPackager.Package(Request(hours: 24, tables: tables), maxBytes);

        var podNames = result.Manifest.Files.Where(n => n.Contains("-pod-usage-", StringComparison.Ordinal)).ToList();
        podNames.Count.ShouldBeGreaterThanOrEqualTo(10);
        // Name order after the split: part 10 sorts right after part 1.
        podNames[0].ShouldBe($"{UuidText}-cm-openshift-pod-usage-2026081.3.csv");
        podNames[1].ShouldBe($"{UuidText}-cm-openshift-pod-usage-20260810.4.csv");
        result.Manifest.Files[0].ShouldBe($"{UuidText}-cm-openshift-namespace-usage-202608.0.csv");
        result.Manifest.Files[^1].ShouldBe($"{UuidText}-cm-openshift-vm-usage-202608.{result.Manifest.Files.Count - 1}.csv");
        result.Payloads.Count.ShouldBe(result.Manifest.Files.Count);

        var facts = KokuPayloadValidator.AssertValid([.. result.Payloads.Select(p => p.Content)]);

        // Parts in part-number order hold exactly the original rows, each closed by the row that reached the limit.
        var parts = facts.Csvs.Where(c => c.Type == KokuReportType.PodUsage)
            .OrderBy(c => PartNumber(c.Name))
            .ToList();
        parts.SelectMany(p => p.Rows).ShouldBe(pod.Rows, ignoreOrder: false);
        foreach (var part in parts.SkipLast(1))
        {
            part.Rows.Sum(Estimate).ShouldBeGreaterThanOrEqualTo(maxBytes);
            part.Rows.SkipLast(1).Sum(Estimate).ShouldBeLessThan(maxBytes);
        }
    }
}
