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
        var (first, lastStep, margin, shift) = (Day.AddHours(6), Day.AddHours(9).AddMinutes(-1), TimeSpan.FromMinutes(20), TimeSpan.FromSeconds(150));
        foreach (var (query, expression, range) in executor.Calls)
        {
            // One range query covers all requested hours. ROS every 15 min over (06:00, 09:00]. Cost queries on ACM's forwarded
            // data: every minute over [06:00, 08:59] plus a 20-minute margin, gauges evaluated 150 s late, lookback 300 s.
            var want = query.IsRos ? new QueryRange(first.AddMinutes(15), Day.AddHours(9), TimeSpan.FromMinutes(15))
                : query.Counter is not null ? new QueryRange(first - margin, lastStep + margin, TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(5))
                : new QueryRange(first - margin + shift, lastStep + margin + shift, TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(5));
            range.ShouldBe(want, query.Name);
            expression.Contains("rate(", StringComparison.Ordinal).ShouldBe(query.Counter is null && query.Expression.Contains("rate(", StringComparison.Ordinal), query.Name);
        }
    }

    [Fact]
    public async Task CollectAsync_OnAPrometheusThatScrapesTheCluster_SendsCmmosQueriesAndRangesUnchanged()
    {
        var executor = new CountingExecutor(nodeData: true);

        await new ReportCollector(executor).CollectAsync(
            new CollectionRequest("c1", "clusterID", Day.AddHours(6), 3, TimeSpan.FromSeconds(60), RosEnabled: false, Sampling.Cmmo),
            TestContext.Current.CancellationToken);

        executor.Calls.Count.ShouldBe(36);
        foreach (var (query, expression, range) in executor.Calls)
        {
            range.ShouldBe(new QueryRange(Day.AddHours(6), Day.AddHours(9).AddMinutes(-1), TimeSpan.FromSeconds(60)), query.Name);
            expression.ShouldNotContain("[15m]");
        }

        executor.Calls.Single(c => c.Query.Name == "pod-usage-cpu-cores").Expression.ShouldContain("rate(container_cpu_usage_seconds_total{");
        executor.Calls.Single(c => c.Query.Name == "pod-usage-cpu-cores").Expression.ShouldContain("[5m]");
    }

    [Theory]
    [InlineData("2026-11-20T00:30:00Z", 2, 60)]
    [InlineData("2026-11-20T23:00:00Z", 2, 60)]
    [InlineData("2026-11-20T00:00:00Z", 1, 7)]
    public void Validate_RejectsRequestsOutsideOneDayOrWithAStepThatDoesNotDivideAnHour(string first, int hours, int step) =>
        Should.Throw<ArgumentException>(() => ReportCollector.Validate(new CollectionRequest(
            "c1", "clusterID", DateTimeOffset.Parse(first, System.Globalization.CultureInfo.InvariantCulture), hours, TimeSpan.FromSeconds(step), true)));
}
