using ThanosBridge.Core.Collection;
using ThanosBridge.Core.Collection.Catalog;
using ThanosBridge.Core.Collection.Prometheus;
using ThanosBridge.Core.Discovery;

namespace ThanosBridge.Core.Tests.Collection;

public class ReportCollectorTests
{
    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Answers the node queries (and, when <paramref name="everything"/>, every query and probe) with one series, and
    /// records what was asked, from any number of threads at once.
    /// </summary>
    private sealed class CountingExecutor(bool nodeData, bool everything = true) : IQueryExecutor
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<(QueryDefinition, string, QueryRange)> calls = new();
        private int inFlight;

        public List<(QueryDefinition Query, string Expression, QueryRange Range)> Calls => [.. calls];

        public int MostInFlight { get; private set; }

        public async Task ExecuteAsync(ClusterId cluster, QueryDefinition query, string expression, QueryRange range, ISeriesSink sink, CancellationToken cancellationToken)
        {
            sink.Restart();
            foreach (var series in (await AnswerAsync(query, expression, range)).Series)
            {
                sink.Add(series);
            }
        }

        private async Task<QueryResult> AnswerAsync(QueryDefinition query, string expression, QueryRange range)
        {
            calls.Enqueue((query, expression, range));
            var now = Interlocked.Increment(ref inFlight);
            lock (calls)
            {
                MostInFlight = Math.Max(MostInFlight, now);
            }

            await Task.Yield();
            Interlocked.Decrement(ref inFlight);
            if (!nodeData || (query.Set != QuerySet.Node && !everything))
            {
                return QueryResult.Empty;
            }

            var samples = Enumerable.Range(0, 60).Select(m => new Sample(range.Start.AddMinutes(m).ToUnixTimeMilliseconds(), 4)).ToList();
            return new QueryResult([new Series(LabelSet.Of(("namespace", "ns"), ("node", "n1"), ("role", "worker")), samples)], []);
        }
    }

    [Fact]
    public async Task CollectAsync_NoNodeData_StopsAfterTheNodeQueries()
    {
        var executor = new CountingExecutor(nodeData: false);

        var reports = await new ReportCollector(executor).CollectAsync(new CollectionRequest(ClusterId.Parse("c1"), "clusterID", Day, 6, TimeSpan.FromSeconds(60), RosEnabled: true), TestContext.Current.CancellationToken);

        executor.Calls.Select(c => c.Query.Set).ShouldAllBe(s => s == QuerySet.Node);
        executor.Calls.Count.ShouldBe(6);
        reports.HoursWithData.ShouldBeEmpty();
        reports.Tables.Count.ShouldBe(6, "the six cost reports, header only");
    }

    [Theory]
    [InlineData(true, 92 + 3)]
    [InlineData(false, 36 + 3)]
    public async Task CollectAsync_WithNodeData_RunsEveryQueryOnce_WithTheClusterMatcher_OverOneRange(bool ros, int expected)
    {
        var executor = new CountingExecutor(nodeData: true);

        await new ReportCollector(executor).CollectAsync(new CollectionRequest(ClusterId.Parse("c1"), "clusterID", Day.AddHours(6), 3, TimeSpan.FromSeconds(60), ros), TestContext.Current.CancellationToken);

        executor.Calls.Count.ShouldBe(expected, "every catalog query, the two family probes and the pod resource probe");
        executor.Calls.Select(c => c.Query.Name).ShouldBeUnique();
        executor.Calls.ShouldAllBe(c => c.Expression.Contains("clusterID=\"c1\"", StringComparison.Ordinal));
        var (first, lastStep, margin, shift) = (Day.AddHours(6), Day.AddHours(9).AddMinutes(-1), TimeSpan.FromMinutes(20), TimeSpan.FromSeconds(150));
        foreach (var (query, expression, range) in executor.Calls.Where(c => c.Query.Set != QuerySet.Probe))
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
            new CollectionRequest(ClusterId.Parse("c1"), "clusterID", Day.AddHours(6), 3, TimeSpan.FromSeconds(60), RosEnabled: false, Sampling.Cmmo),
            TestContext.Current.CancellationToken);

        executor.Calls.Count.ShouldBe(36 + 3);
        foreach (var (query, expression, range) in executor.Calls.Where(c => c.Query.Set != QuerySet.Probe))
        {
            range.ShouldBe(new QueryRange(Day.AddHours(6), Day.AddHours(9).AddMinutes(-1), TimeSpan.FromSeconds(60)), query.Name);
            expression.ShouldNotContain("[15m]");
        }

        executor.Calls.Single(c => c.Query.Name == "pod-usage-cpu-cores").Expression.ShouldContain("rate(container_cpu_usage_seconds_total{");
        executor.Calls.Single(c => c.Query.Name == "pod-usage-cpu-cores").Expression.ShouldContain("[5m]");
    }

    [Fact]
    public async Task CollectAsync_NoGpuNoKubeVirtAndNoOptedInNamespace_SkipsThoseFamilies_AndProbesCoverEverythingTheyWouldRead()
    {
        var executor = new CountingExecutor(nodeData: true, everything: false);
        var request = new CollectionRequest(ClusterId.Parse("c1"), "clusterID", Day.AddHours(6), 3, TimeSpan.FromSeconds(60), RosEnabled: true);

        var reports = await new ReportCollector(executor).CollectAsync(request, TestContext.Current.CancellationToken);

        var sent = executor.Calls.Select(c => c.Query.Set).ToHashSet();
        sent.ShouldNotContain(QuerySet.GpuUtilization);
        sent.ShouldNotContain(QuerySet.GpuMigCapacity);
        sent.ShouldNotContain(QuerySet.VirtualMachine);
        sent.ShouldNotContain(QuerySet.RosContainer);
        sent.ShouldNotContain(QuerySet.RosNamespace);
        sent.ShouldContain(QuerySet.RosGate);
        executor.Calls.Count(c => c.Query.Set == QuerySet.Pod).ShouldBe(7);
        reports.Tables.Count.ShouldBe(6, "the six cost reports, VM and GPU header only");

        // Each probe asks once, at the end of the latest guarded range, over a window reaching back past the earliest
        // sample any guarded query could read, with the cluster matcher.
        var guarded = QueryCatalog.All.Where(q => q.Set is QuerySet.GpuUtilization or QuerySet.VirtualMachine).Select(q => ReportCollector.Plan(q, request)).ToList();
        foreach (var (query, expression, range) in executor.Calls.Where(c => c.Query.Set == QuerySet.Probe))
        {
            range.Start.ShouldBe(range.End);
            range.End.ShouldBe(guarded.Max(p => p.Range.End));
            expression.ShouldContain("clusterID=\"c1\"");
            var window = TimeSpan.FromSeconds(double.Parse(System.Text.RegularExpressions.Regex.Match(expression, @"\[(\d+)s\]").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            (range.End - window).ShouldBeLessThanOrEqualTo(guarded.Min(p => p.Range.Start) - TimeSpan.FromMinutes(15) - Sampling.AcmDefault.Interval, query.Name);
        }
    }

    [Fact]
    public async Task CollectAsync_NarrowsTheRosQueriesJoinedOnNamespace_ToTheNamespacesTheGateFound()
    {
        var executor = new GateExecutor(["team-b", "team-a"]);

        await new ReportCollector(executor).CollectAsync(
            new CollectionRequest(ClusterId.Parse("c1"), "clusterID", Day, 2, TimeSpan.FromSeconds(300), RosEnabled: true), TestContext.Current.CancellationToken);

        var ros = executor.Calls.Where(c => c.Query.Set is QuerySet.RosContainer or QuerySet.RosNamespace).ToList();
        ros.Count.ShouldBe(55);
        foreach (var (query, expression, _) in executor.Calls)
        {
            var selectors = System.Text.RegularExpressions.Regex.Count(expression, "clusterID=\"c1\"");
            var narrowed = System.Text.RegularExpressions.Regex.Count(expression, "namespace=~\"team-a\\|team-b\"");
            narrowed.ShouldBe(query.OnlyGateNamespaces ? selectors : 0, query.Name);
        }

        ros.Count(c => c.Query.OnlyGateNamespaces).ShouldBe(46, "every ROS query but the nine accelerator ones, which join on exported_namespace");
    }

    /// <summary>Node data for every hour and a ROS gate that finds the given namespaces; every other query answers nothing.</summary>
    private sealed class GateExecutor(string[] namespaces) : IQueryExecutor
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<(QueryDefinition, string, QueryRange)> calls = new();

        public List<(QueryDefinition Query, string Expression, QueryRange Range)> Calls => [.. calls];

        public Task ExecuteAsync(ClusterId cluster, QueryDefinition query, string expression, QueryRange range, ISeriesSink sink, CancellationToken cancellationToken)
        {
            sink.Restart();
            foreach (var series in Answer(query, expression, range).Series)
            {
                sink.Add(series);
            }

            return Task.CompletedTask;
        }

        private QueryResult Answer(QueryDefinition query, string expression, QueryRange range)
        {
            calls.Enqueue((query, expression, range));
            List<Sample> points = [];
            for (var t = range.Start; t <= range.End; t += range.Step)
            {
                points.Add(new Sample(t.ToUnixTimeMilliseconds(), 1));
            }

            var series = query.Set switch
            {
                QuerySet.Node => [new Series(LabelSet.Of(("node", "n1")), points)],
                QuerySet.RosGate => namespaces.Select(n => new Series(LabelSet.Of(("namespace", n)), points)).ToList(),
                _ => new List<Series>(),
            };
            return new QueryResult(series, []);
        }
    }

    [Fact]
    public async Task CollectAsync_SendsUpToMaxParallelQueriesAtOnce()
    {
        var executor = new CountingExecutor(nodeData: true);

        await new ReportCollector(executor).CollectAsync(
            new CollectionRequest(ClusterId.Parse("c1"), "clusterID", Day, 2, TimeSpan.FromSeconds(60), RosEnabled: true, MaxParallelQueries: 3),
            TestContext.Current.CancellationToken);

        executor.MostInFlight.ShouldBeLessThanOrEqualTo(3);
        executor.Calls.Count.ShouldBe(95);
    }

    /// <summary>Holds every query until the test answers it: what is in flight is exactly what waits here.</summary>
    private sealed class HeldExecutor(Func<QueryDefinition, bool> found) : IQueryExecutor
    {
        private readonly List<(QueryDefinition Query, QueryRange Range, ISeriesSink Sink, TaskCompletionSource Done)> waiting = [];

        public List<QueryDefinition> Sent { get; } = [];

        public int MostInFlight { get; private set; }

        public IReadOnlyList<QueryDefinition> Waiting => [.. waiting.Select(w => w.Query)];

        public Task ExecuteAsync(ClusterId cluster, QueryDefinition query, string expression, QueryRange range, ISeriesSink sink, CancellationToken cancellationToken)
        {
            sink.Restart();
            var done = new TaskCompletionSource();
            waiting.Add((query, range, sink, done));
            Sent.Add(query);
            MostInFlight = Math.Max(MostInFlight, waiting.Count);
            return done.Task;
        }

        /// <summary>Answers the oldest query that <paramref name="which"/> allows; false when none waits.</summary>
        public bool AnswerOldest(Func<QueryDefinition, bool> which)
        {
            var index = waiting.FindIndex(w => which(w.Query));
            if (index < 0)
            {
                return false;
            }

            var (query, range, sink, done) = waiting[index];
            waiting.RemoveAt(index);
            if (found(query))
            {
                var samples = Enumerable.Range(0, 60).Select(m => new Sample(range.Start.AddMinutes(m).ToUnixTimeMilliseconds(), 4)).ToList();
                sink.Add(new Series(LabelSet.Of(("namespace", "ns"), ("node", "n1"), ("role", "worker"), ("pod", "p1")), samples));
            }

            done.SetResult();
            return true;
        }
    }

    /// <summary>
    /// Runs a collection on a scheduler that only moves when told, answering the oldest query <paramref name="which"/>
    /// allows each time nothing else can happen, until it completes or nothing is left to answer.
    /// </summary>
    private static (Task<ThanosBridge.Core.Reports.ReportSet> Run, ManualTaskScheduler Scheduler) Drive(
        HeldExecutor executor, CollectionRequest request, Func<QueryDefinition, bool> which)
    {
        var scheduler = new ManualTaskScheduler();
        var run = scheduler.Start(() => new ReportCollector(executor).CollectAsync(request, TestContext.Current.CancellationToken));
        Advance(run, scheduler, executor, which);
        return (run, scheduler);
    }

    private static void Advance(Task run, ManualTaskScheduler scheduler, HeldExecutor executor, Func<QueryDefinition, bool> which)
    {
        while (!run.IsCompleted)
        {
            scheduler.RunUntilIdle();
            if (run.IsCompleted || executor.AnswerOldest(which))
            {
                continue;
            }

            if (executor.Waiting.Count > 0)
            {
                return;
            }

            // Nothing waits on a query: a report is being built on its own thread, and its end is queued here.
            scheduler.WaitForWork(TimeSpan.FromSeconds(30)).ShouldBeTrue("the collection neither finished nor sent a query");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public async Task CollectAsync_NeverHasMoreThanMaxParallelQueriesInFlight_AndFillsThem(int slots)
    {
        var executor = new HeldExecutor(_ => true);

        var (run, _) = Drive(executor, new CollectionRequest(ClusterId.Parse("c1"), "clusterID", Day, 2, TimeSpan.FromSeconds(60), RosEnabled: true, MaxParallelQueries: slots), _ => true);

        await run;
        executor.MostInFlight.ShouldBe(slots, "never more than the setting, and the setting is reached (node queries, then the gate and the probes right behind them)");
        executor.Sent.Count.ShouldBe(95);
        executor.Sent.Select(q => q.Name).ShouldBeUnique();
    }

    [Fact]
    public async Task CollectAsync_SendsTheQueriesNoProbeDecides_WhileTheProbesAreUnanswered()
    {
        // The pod set waits for the pod resource probe (which series its request and limit queries read); storage and
        // namespace queries do not wait for any probe.
        var executor = new HeldExecutor(_ => true);
        var request = new CollectionRequest(ClusterId.Parse("c1"), "clusterID", Day, 2, TimeSpan.FromSeconds(60), RosEnabled: false, MaxParallelQueries: 4);

        var (run, scheduler) = Drive(executor, request, q => q.Set != QuerySet.Probe);

        run.IsCompleted.ShouldBeFalse();
        executor.Waiting.Select(q => q.Set).ShouldAllBe(s => s == QuerySet.Probe);
        var sent = executor.Sent.Select(q => q.Set).ToHashSet();
        sent.ShouldNotContain(QuerySet.Pod, "a pod query waits for the pod resource probe");
        sent.ShouldContain(QuerySet.Storage);
        sent.ShouldContain(QuerySet.Namespace);
        sent.ShouldNotContain(QuerySet.GpuUtilization, "a GPU query waits for the NVIDIA probe");
        sent.ShouldNotContain(QuerySet.VirtualMachine, "a VM query waits for the KubeVirt probe");

        Advance(run, scheduler, executor, _ => true);
        await run;
        executor.Sent.Count.ShouldBe(36 + 3);
    }

    /// <summary>Node data for every hour, the pod resource probe's sample counts as given; every other query answers nothing.</summary>
    private sealed class SupplyExecutor(params (string Family, string Source, double Samples)[] counts) : IQueryExecutor
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<(QueryDefinition, string)> calls = new();

        public List<(QueryDefinition Query, string Expression)> Calls => [.. calls];

        public Task ExecuteAsync(ClusterId cluster, QueryDefinition query, string expression, QueryRange range, ISeriesSink sink, CancellationToken cancellationToken)
        {
            calls.Enqueue((query, expression));
            sink.Restart();
            var point = new Sample(range.End.ToUnixTimeMilliseconds(), 1);
            if (query.Set == QuerySet.Node)
            {
                List<Sample> points = [];
                for (var t = range.Start; t <= range.End; t += range.Step)
                {
                    points.Add(new Sample(t.ToUnixTimeMilliseconds(), 1));
                }

                sink.Add(new Series(LabelSet.Of(("node", "n1")), points));
            }
            else if (query.Name == PodResourceSupply.ProbeName)
            {
                foreach (var (family, source, samples) in counts)
                {
                    sink.Add(new Series(LabelSet.Of(("family", family), ("source", source)), [point with { Value = samples }]));
                }
            }

            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task CollectAsync_RecordedRequestsHaveMoreSamples_RequestQueriesReadTheRecordedNames_LimitQueriesTheRawOnes()
    {
        var executor = new SupplyExecutor(("requests", "raw", 40), ("requests", "recorded", 288), ("limits", "raw", 288), ("limits", "recorded", 288));

        var reports = await new ReportCollector(executor).CollectAsync(
            new CollectionRequest(ClusterId.Parse("c1"), "clusterID", Day, 2, TimeSpan.FromSeconds(300), RosEnabled: true), TestContext.Current.CancellationToken);

        reports.PodResources.ShouldBe(new Dictionary<PodResourceFamily, PodResourceSource>
        {
            [PodResourceFamily.Requests] = PodResourceSource.Recorded,
            [PodResourceFamily.Limits] = PodResourceSource.Raw,
        });
        var requests = executor.Calls.Where(c => c.Query.Name.StartsWith("pod-request-", StringComparison.Ordinal)).ToList();
        requests.Count.ShouldBe(2);
        requests.ShouldAllBe(c => c.Expression.Contains("thanos_bridge:kube_pod_container_resource_requests:max{", StringComparison.Ordinal)
            && !c.Expression.Contains(" kube_pod_container_resource_requests", StringComparison.Ordinal)
            && !c.Expression.Contains("(kube_pod_container_resource_requests", StringComparison.Ordinal));
        executor.Calls.Where(c => c.Query.Name.StartsWith("pod-limit-", StringComparison.Ordinal))
            .ShouldAllBe(c => c.Expression.Contains("(kube_pod_container_resource_limits{", StringComparison.Ordinal) && !c.Expression.Contains("thanos_bridge:", StringComparison.Ordinal));
        var probe = executor.Calls.Single(c => c.Query.Name == PodResourceSupply.ProbeName);
        executor.Calls.IndexOf(probe).ShouldBeLessThan(executor.Calls.FindIndex(c => c.Query.Set == QuerySet.Pod), "the pod queries wait for the probe");
    }

    [Fact]
    public async Task CollectAsync_NoNodeData_DecidesNoSource()
    {
        var reports = await new ReportCollector(new CountingExecutor(nodeData: false)).CollectAsync(
            new CollectionRequest(ClusterId.Parse("c1"), "clusterID", Day, 2, TimeSpan.FromSeconds(300), RosEnabled: true), TestContext.Current.CancellationToken);

        reports.PodResources.ShouldBeNull();
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public async Task CollectAsync_NoNodeData_SendsNothingButTheGateAndProbesAlreadyInSlots(int slots)
    {
        var executor = new HeldExecutor(_ => false);

        var (run, _) = Drive(executor, new CollectionRequest(ClusterId.Parse("c1"), "clusterID", Day, 6, TimeSpan.FromSeconds(60), RosEnabled: true, MaxParallelQueries: slots), _ => true);

        var reports = await run;
        executor.Sent.Count(q => q.Set == QuerySet.Node).ShouldBe(6);
        executor.Sent.Where(q => q.Set != QuerySet.Node).ShouldAllBe(q => q.Set == QuerySet.RosGate || q.Set == QuerySet.Probe);
        executor.Sent.Count(q => q.Set != QuerySet.Node).ShouldBeLessThanOrEqualTo(slots - 1, "only slots the last node queries left free");
        reports.HoursWithData.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("2026-11-20T00:30:00Z", 2, 60)]
    [InlineData("2026-11-20T23:00:00Z", 2, 60)]
    [InlineData("2026-11-20T00:00:00Z", 1, 7)]
    public void Validate_RejectsRequestsOutsideOneDayOrWithAStepThatDoesNotDivideAnHour(string first, int hours, int step) =>
        Should.Throw<ArgumentException>(() => ReportCollector.Validate(new CollectionRequest(
            ClusterId.Parse("c1"), "clusterID", DateTimeOffset.Parse(first, System.Globalization.CultureInfo.InvariantCulture), hours, TimeSpan.FromSeconds(step), true)));
}
