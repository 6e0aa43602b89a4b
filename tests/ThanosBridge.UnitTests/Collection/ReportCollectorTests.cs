using ThanosBridge.Core.Catalog;
using ThanosBridge.Core.Collection;
using ThanosBridge.Core.Prometheus;

namespace ThanosBridge.UnitTests.Collection;

public class ReportCollectorTests
{
    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Answers node queries with one node (or nothing) and records what was asked.</summary>
    private sealed class CountingExecutor(bool nodeData) : IQueryExecutor
    {
        public List<(QueryDefinition Query, string Expression, QueryRange Range)> Calls { get; } = [];

        public Task<QueryResult> ExecuteAsync(QueryDefinition query, string expression, QueryRange range, CancellationToken cancellationToken)
        {
            Calls.Add((query, expression, range));
            if (!nodeData || query.Set != QuerySet.Node)
            {
                return Task.FromResult(QueryResult.Empty);
            }

            var samples = Enumerable.Range(0, 60).Select(m => new Sample(range.Start.AddMinutes(m).ToUnixTimeMilliseconds(), 4)).ToList();
            return Task.FromResult(new QueryResult([new Series(LabelSet.Of(("node", "n1"), ("role", "worker")), samples)], []));
        }
    }

    [Fact]
    public async Task CollectAsync_NoNodeData_StopsAfterTheNodeQueries()
    {
        var executor = new CountingExecutor(nodeData: false);

        var reports = await new ReportCollector(executor).CollectAsync(new CollectionRequest("c1", "clusterID", Day, 6, TimeSpan.FromSeconds(60), RosEnabled: true), TestContext.Current.CancellationToken);

        executor.Calls.Select(c => c.Query.Set).ShouldAllBe(s => s == QuerySet.Node);
        executor.Calls.Count.ShouldBe(6);
        reports.HoursWithData.ShouldBeEmpty();
        reports.Tables.Count.ShouldBe(6, "the six cost reports, header only");
    }

    [Theory]
    [InlineData(true, 92)]
    [InlineData(false, 36)]
    public async Task CollectAsync_WithNodeData_RunsEveryQueryOnce_WithTheClusterMatcher_OverOneRange(bool ros, int expected)
    {
        var executor = new CountingExecutor(nodeData: true);

        await new ReportCollector(executor).CollectAsync(new CollectionRequest("c1", "clusterID", Day.AddHours(6), 3, TimeSpan.FromSeconds(60), ros), TestContext.Current.CancellationToken);

        executor.Calls.Count.ShouldBe(expected);
        executor.Calls.Select(c => c.Query.Name).ShouldBeUnique();
        executor.Calls.ShouldAllBe(c => c.Expression.Contains("clusterID=\"c1\"", StringComparison.Ordinal));
        foreach (var (query, _, range) in executor.Calls)
        {
            // One range query covers all requested hours: cost every minute over [06:00, 08:59]; ROS every 15 min over (06:00, 09:00].
            (range.Start, range.End, range.Step).ShouldBe(query.IsRos
                ? (Day.AddHours(6).AddMinutes(15), Day.AddHours(9), TimeSpan.FromMinutes(15))
                : (Day.AddHours(6), Day.AddHours(9).AddMinutes(-1), TimeSpan.FromSeconds(60)));
        }
    }

    [Theory]
    [InlineData("2026-11-20T00:30:00Z", 2, 60)]
    [InlineData("2026-11-20T23:00:00Z", 2, 60)]
    [InlineData("2026-11-20T00:00:00Z", 1, 7)]
    public void Validate_RejectsRequestsOutsideOneDayOrWithAStepThatDoesNotDivideAnHour(string first, int hours, int step) =>
        Should.Throw<ArgumentException>(() => ReportCollector.Validate(new CollectionRequest(
            "c1", "clusterID", DateTimeOffset.Parse(first, System.Globalization.CultureInfo.InvariantCulture), hours, TimeSpan.FromSeconds(step), true)));
}
