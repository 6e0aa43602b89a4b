using ThanosBridge.Core.Collection.Catalog;
using ThanosBridge.Core.Csv;
using ThanosBridge.Core.Reports;

namespace ThanosBridge.Core.Tests.Reports;

public class ReportAssemblyTests
{
    [Fact]
    public void ReportsAddedOneByOne_EachFromOnlyItsOwnAnswers_AreTheReportsBuiltAtOnce()
    {
        var all = FullCatalogFixture.Create().Inputs();
        var expected = ReportBuilder.Build(all);

        // Node answers first, then each report from a copy of the inputs holding only its own query sets, in reverse
        // order (the order reports complete in a collector is not fixed).
        var assembly = new ReportAssembly(Only(all, ReportAssembly.SetsOf(ReportKind.Node)));
        foreach (var kind in Enum.GetValues<ReportKind>().Reverse())
        {
            assembly.Add(kind, Only(all, ReportAssembly.SetsOf(kind)));
        }

        var actual = assembly.Finish();

        actual.HoursWithData.ShouldBe(expected.HoursWithData);
        actual.Tables.Select(t => t.FileName).ShouldBe(expected.Tables.Select(t => t.FileName));
        foreach (var (a, e) in actual.Tables.Zip(expected.Tables))
        {
            CsvWriter.ToBytes(a).ShouldBe(CsvWriter.ToBytes(e), a.FileName);
            a.Rows.Count.ShouldBeGreaterThan(0, a.FileName);
        }
    }

    [Fact]
    public void ReportsNeverAdded_AreHeaderOnlyForCost_AndAbsentForRos()
    {
        var all = FullCatalogFixture.Create().Inputs();
        var assembly = new ReportAssembly(Only(all, ReportAssembly.SetsOf(ReportKind.Node)));
        assembly.Add(ReportKind.Node, all);

        var reports = assembly.Finish();

        reports.Tables.Select(t => t.Kind).ShouldBe(
            [ReportKind.Node, ReportKind.Pod, ReportKind.Storage, ReportKind.VirtualMachine, ReportKind.Namespace, ReportKind.NvidiaGpu]);
        reports.Tables.Where(t => t.Kind != ReportKind.Node).ShouldAllBe(t => t.Rows.Count == 0);
        Should.Throw<InvalidOperationException>(() => assembly.Add(ReportKind.Node, all)).Message.ShouldContain("built twice");
    }

    private static ReportInputs Only(ReportInputs inputs, IReadOnlySet<QuerySet> sets)
    {
        var names = QueryCatalog.All.Where(q => sets.Contains(q.Set) || q.Set == QuerySet.Node).Select(q => q.Name).ToHashSet();
        return inputs with
        {
            Results = inputs.Results.Where(r => names.Contains(r.Key)).ToDictionary(r => r.Key, r => r.Value),
            Hourly = inputs.Hourly.Where(r => names.Contains(r.Key)).ToDictionary(r => r.Key, r => r.Value),
        };
    }
}
