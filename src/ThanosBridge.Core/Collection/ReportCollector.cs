// Over 300 lines on purpose: the one scheduling algorithm of a cluster-day's queries (node data, then gate and probes,
// then what they decide); its parts with a life of their own are apart (QueryPool, ReportAssembly, ForwardedSeries).
using System.Collections.Concurrent;
using ThanosBridge.Core.Collection.Catalog;
using ThanosBridge.Core.Collection.Prometheus;
using ThanosBridge.Core.Collection.Promql;
using ThanosBridge.Core.Discovery;
using ThanosBridge.Core.Reports;

namespace ThanosBridge.Core.Collection;

/// <summary>What to collect for one cluster: whole UTC hours of one day.</summary>
/// <param name="ClusterId">Injected as a label matcher, never concatenated.</param>
/// <param name="ClusterLabel">The label carrying the cluster id on the hub (default <c>clusterID</c>).</param>
/// <param name="FirstHour">The first hour, e.g. 00:00 of the day.</param>
/// <param name="HourCount">How many consecutive hours, all in FirstHour's UTC day.</param>
/// <param name="Sampling">How the queried data was sampled; null means ACM's defaults (<see cref="Sampling.AcmDefault"/>).</param>
/// <param name="MaxParallelQueries">How many of the cluster's queries are in flight at once.</param>
public sealed record CollectionRequest(
    ClusterId ClusterId,
    string ClusterLabel,
    DateTimeOffset FirstHour,
    int HourCount,
    TimeSpan Step,
    bool RosEnabled,
    Sampling? Sampling = null,
    int MaxParallelQueries = 1)
{
    public IReadOnlyList<DateTimeOffset> Hours => [.. Enumerable.Range(0, HourCount).Select(i => FirstHour.AddHours(i))];

    public Sampling EffectiveSampling => Sampling ?? Sampling.AcmDefault;

    /// <summary>The end of the last requested hour.</summary>
    public DateTimeOffset End => FirstHour.AddHours(HourCount);
}

/// <summary>One query as it is sent: the expression (cluster matcher not yet injected) and the range it is evaluated over.</summary>
public sealed record PlannedQuery(QueryDefinition Query, string Expression, QueryRange Range);

/// <summary>
/// Runs the catalog for one cluster with one range query per query covering all requested hours (never one query per
/// hour), then builds the reports locally. Cost queries are evaluated every <c>Step</c> (on forwarded data conditioned
/// by <see cref="ForwardedSeries"/> first); ROS queries every 15 minutes over (first hour, last hour + 1 h] (Bridge decision h).
/// </summary>
public sealed class ReportCollector(IQueryExecutor executor)
{
    private static readonly TimeSpan RosStep = TimeSpan.FromMinutes(15);

    public static void Validate(CollectionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.FirstHour.Offset != TimeSpan.Zero || request.FirstHour.Ticks % TimeSpan.TicksPerHour != 0)
        {
            throw new ArgumentException($"the first hour {request.FirstHour:O} is not a whole UTC hour", nameof(request));
        }

        if (request.HourCount is < 1 or > 24 || request.FirstHour.AddHours(request.HourCount - 1).Date != request.FirstHour.Date)
        {
            throw new ArgumentException($"{request.HourCount} hours from {request.FirstHour:O} do not fit in one UTC day", nameof(request));
        }

        if (QueryStep.Problem(request.Step) is { } problem)
        {
            throw new ArgumentException($"the step is invalid: {problem}", nameof(request));
        }
    }

    /// <summary>The queries a request runs, in catalog order.</summary>
    public static IReadOnlyList<QueryDefinition> QueriesFor(CollectionRequest request) =>
        [.. QueryCatalog.All.Where(q => request.RosEnabled || !q.IsRos)];

    /// <summary>
    /// What is sent for a query: ROS queries every 15 minutes over (first hour, end], those marked
    /// <see cref="QueryDefinition.OnlyGateNamespaces"/> narrowed to <paramref name="gateNamespaces"/> when given. Cost queries every step over
    /// [first hour, end − step] with CMMO's windows when the data was scraped by the queried Prometheus; on forwarded
    /// data with a margin on each side, the lookback of one interval, gauges evaluated half an interval late and
    /// counters without <c>rate</c> (docs/accuracy.md).
    /// </summary>
    /// <param name="gateNamespaces">Every namespace the ROS gate returned in any window of the request.</param>
    /// <param name="podResources">Which series the request and limit queries read (<see cref="PodResourceSupply"/>); null: the raw ones.</param>
    public static PlannedQuery Plan(
        QueryDefinition query, CollectionRequest request, IReadOnlyCollection<string>? gateNamespaces = null,
        IReadOnlyDictionary<PodResourceFamily, PodResourceSource>? podResources = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(request);
        var sampling = request.EffectiveSampling;
        var lastStep = request.End - request.Step;
        // The recorded per-pod requests and limits where chosen; MCO's renamed names where CMMO's are absent.
        var source = HubRenames.ReadFrom(PodResourceSupply.ReadFrom(query.Expression, podResources));
        if (query.IsRos)
        {
            var expression = query.OnlyGateNamespaces && gateNamespaces is { Count: > 0 }
                ? ClusterLabelInjector.NarrowTo(source, "namespace", gateNamespaces)
                : source;
            return new PlannedQuery(query, Cheaper(expression), new QueryRange(request.FirstHour + RosStep, request.End, RosStep));
        }

        if (!sampling.IsForwarded)
        {
            return new PlannedQuery(query, Cheaper(source.Replace("[15m]", sampling.CostWindow, StringComparison.Ordinal)),
                new QueryRange(request.FirstHour, lastStep, request.Step));
        }

        var margin = sampling.MarginFor(request.Step);
        return query.Counter is { } counter
            ? new PlannedQuery(query, Cheaper(counter.Expression),
                new QueryRange(request.FirstHour - margin, lastStep + margin, request.Step, sampling.Lookback))
            : new PlannedQuery(query, Cheaper(source),
                new QueryRange(request.FirstHour - margin + sampling.Shift, lastStep + margin + sampling.Shift, request.Step, sampling.Lookback));
    }

    /// <summary>
    /// The same query with <c>pod!=''</c> applied to what its selectors return instead of inside them: the answer is the
    /// same, but the server no longer merges the postings of every pod on the hub for each selector.
    /// </summary>
    private static string Cheaper(string expression) => NonEmptyLabelFilter.Hoist(expression, "pod");

    /// <summary>Integrates a counter's answer on forwarded data into the points of the requested hours, series by series as it is read.</summary>
    private static ForwardedSeries.CounterIntegration CounterIntegration(PlannedQuery planned, CollectionRequest request, CounterForm counter)
    {
        var range = planned.Range;
        var steps = (int)((range.End - range.Start).Ticks / range.Step.Ticks) + 1;
        return new ForwardedSeries.CounterIntegration(counter.GroupBy, request.EffectiveSampling, range.Start, range.Step, steps,
            request.FirstHour, request.End - request.Step);
    }

    /// <summary>
    /// One series of a gauge's answer as the hours need it: on forwarded data re-timed, its lost cycles filled and clipped
    /// to the requested hours (null: nothing of it left), otherwise as it is.
    /// </summary>
    private static Series? ConditionGauge(CollectionRequest request, Series raw)
    {
        var sampling = request.EffectiveSampling;
        return sampling.IsForwarded
            ? ForwardedSeries.Gauge(raw, sampling.Shift, request.Step, sampling.MaxFilledGap, request.FirstHour, request.End - request.Step)
            : raw;
    }

    /// <summary>Keeps each series of a cost answer only as hourly summaries, as it arrives.</summary>
    private sealed class HourlySink(QueryDefinition query, Func<Series, Series?> condition) : ISeriesSink
    {
        private readonly List<HourlySeries> series = [];

        public IReadOnlyList<HourlySeries> Series => series;

        public void Restart() => series.Clear();

        public void Add(Series raw)
        {
            if (condition(raw) is { } conditioned)
            {
                series.Add(HourlySeries.For(query, conditioned));
            }
        }
    }

    /// <summary>
    /// A probe is one point at the end of everything the guarded queries read, with a window reaching back over all of
    /// it (margins, lookback and <c>[15m]</c> windows included), so it finds any series they could find.
    /// </summary>
    public static PlannedQuery ProbeFor(FamilyProbe probe, CollectionRequest request)
    {
        ArgumentNullException.ThrowIfNull(probe);
        return Probe(request, probe.AsQuery);
    }

    /// <summary>The probe that decides which series the request and limit queries read (<see cref="PodResourceSupply"/>), over the same window.</summary>
    public static PlannedQuery PodResourceProbeFor(CollectionRequest request) => Probe(request, PodResourceSupply.Probe);

    private static PlannedQuery Probe(CollectionRequest request, Func<TimeSpan, QueryDefinition> queryFor)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sampling = request.EffectiveSampling;
        var margin = sampling.IsForwarded ? sampling.MarginFor(request.Step) : TimeSpan.Zero;
        var latest = request.End - request.Step + margin + sampling.Shift;
        var earliest = request.FirstHour - margin - TimeSpan.FromMinutes(30);
        var query = queryFor(latest - earliest);
        return new PlannedQuery(query, query.Expression, new QueryRange(latest, latest, request.Step, sampling.Lookback));
    }

    public async Task<ReportSet> CollectAsync(CollectionRequest request, CancellationToken cancellationToken)
    {
        Validate(request);
        var rosResults = new ConcurrentDictionary<string, QueryResult>(StringComparer.Ordinal);
        var hourly = new ConcurrentDictionary<string, IReadOnlyList<HourlySeries>>(StringComparer.Ordinal);
        var probes = new ConcurrentDictionary<FamilyProbe, bool>();
        var pool = new QueryPool();
        Task SendAsync(PlannedQuery planned, ISeriesSink sink, CancellationToken ct) => executor.ExecuteAsync(
            request.ClusterId, planned.Query, ClusterLabelInjector.Inject(planned.Expression, request.ClusterLabel, request.ClusterId), planned.Range, sink, ct);
        async Task<QueryResult> WholeAsync(PlannedQuery planned, CancellationToken ct)
        {
            var answer = new SeriesList();
            await SendAsync(planned, answer, ct);
            return new QueryResult(answer.Series, []);
        }

        IReadOnlyCollection<string>? gateNamespaces = null;
        IReadOnlyDictionary<PodResourceFamily, PodResourceSource>? podResources = null;
        ReportAssembly? assembly = null;
        var stopped = false;
        var builds = new ConcurrentBag<Task>();
        var pending = new Dictionary<ReportKind, int>();
        ReportInputs Inputs() => new(request.Hours, request.Step, rosResults, request.RosEnabled) { Hourly = hourly };

        // A report is built as soon as the last answer it is made of is in, and those answers are dropped: a cluster-day
        // holds the answers of the reports still being collected and the compact rows of the others, not every answer.
        void Answered(QueryDefinition query)
        {
            List<ReportKind> complete = [];
            lock (pending)
            {
                foreach (var kind in pending.Keys.Where(k => ReportAssembly.SetsOf(k).Contains(query.Set)).ToList())
                {
                    if (--pending[kind] == 0)
                    {
                        pending.Remove(kind);
                        complete.Add(kind);
                    }
                }
            }

            foreach (var kind in complete)
            {
                // Off the query slot and off the thread pool: the next query goes out while the report is built. With one
                // CPU (the chart's limit) the pool has one worker, and a build on it held back every answer's
                // continuation: Thanos sat idle for 0.6-0.9 s at each large report (docs/operations.md, Sizing).
                builds.Add(Task.Factory.StartNew(() => BuildReport(kind), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default));
            }
        }

        void BuildReport(ReportKind kind)
        {
            assembly!.Add(kind, Inputs());
            var sets = ReportAssembly.SetsOf(kind);
            foreach (var done in QueryCatalog.All.Where(q => sets.Contains(q.Set) && q.Set != QuerySet.RosGate))
            {
                hourly.TryRemove(done.Name, out _);
                rosResults.TryRemove(done.Name, out _);
            }
        }

        async Task RunQueryAsync(QueryDefinition query, CancellationToken ct)
        {
            var planned = Plan(query, request, gateNamespaces, podResources);
            if (query.IsRos)
            {
                // Kept whole: one point per window and series, read window by window when the report is built.
                rosResults[query.Name] = await WholeAsync(planned, ct);
            }
            else if (query.Counter is { } counter && request.EffectiveSampling.IsForwarded)
            {
                // Integrated series by series while it is read: only each group's points are kept, then its hourly summaries.
                var integration = CounterIntegration(planned, request, counter);
                await SendAsync(planned, integration, ct);
                hourly[query.Name] = HourlySeries.From(integration.Result(), query);
            }
            else
            {
                // Every other cost answer is reduced series by series while it is read: only hourly summaries are kept.
                var sink = new HourlySink(query, series => ConditionGauge(request, series));
                await SendAsync(planned, sink, ct);
                hourly[query.Name] = sink.Series;
            }

            Answered(query);
        }

        // Queues a family of queries whose reports are then waited for; a report with nothing to ask is built at once from
        // what there is (the gate, or nothing).
        void Enqueue(IReadOnlyList<QueryDefinition> family, IEnumerable<ReportKind> kinds)
        {
            foreach (var kind in kinds)
            {
                var count = family.Count(q => ReportAssembly.SetsOf(kind).Contains(q.Set));
                if (count == 0)
                {
                    BuildReport(kind);
                    continue;
                }

                lock (pending)
                {
                    pending[kind] = count;
                }
            }

            foreach (var query in family)
            {
                pool.Add(ct => RunQueryAsync(query, ct));
            }
        }

        var queries = QueriesFor(request);
        var nodes = queries.Where(q => q.Set == QuerySet.Node).ToList();
        var gates = queries.Where(q => q.Set == QuerySet.RosGate).ToList();
        // A set with a request or limit query waits for the supply probe as a whole: a report's answers are counted in
        // one batch.
        var supplied = queries.Where(PodResourceSupply.Reads).Select(q => q.Set).ToHashSet();
        bool Guarded(QueryDefinition q) => q.IsRos || supplied.Contains(q.Set) || FamilyProbes.All.Any(p => p.Guards.Contains(q.Set));
        var rest = queries.Where(q => q.Set is not (QuerySet.Node or QuerySet.RosGate)).ToList();
        var kindsAfterNodes = Enum.GetValues<ReportKind>().Where(k => k != ReportKind.Node).ToLookup(k => rest.Any(q => ReportAssembly.SetsOf(k).Contains(q.Set) && Guarded(q)));
        var nodesLeft = nodes.Count;
        var decisionInputsLeft = nodes.Count + gates.Count + FamilyProbes.All.Count + 1;

        // Node data decides everything: none means nothing for those hours in any report (§1.6), so no other query is sent,
        // which matters for days before a cluster existed or beyond Thanos's retention. The queries no probe or gate
        // decides go out as soon as it is in.
        void NodesAnswered()
        {
            assembly = new ReportAssembly(Inputs());
            assembly.Add(ReportKind.Node, Inputs());
            stopped = assembly.HoursWithData.Count == 0;
            if (!stopped)
            {
                Enqueue([.. rest.Where(q => !Guarded(q))], kindsAfterNodes[false]);
            }
        }

        // The questions that decide whole families: the ROS namespace gate (no opted-in namespace in any window means no
        // ROS row) and the family probes. Skipping a family changes no report, only what is asked.
        void DecisionInputsAnswered()
        {
            if (stopped)
            {
                return;
            }

            var skipped = FamilyProbes.All.Where(p => !probes[p]).SelectMany(p => p.Guards).ToHashSet();
            // Only the gate has answered among the ROS queries. No namespace in any window: no ROS row. Otherwise the ROS
            // queries are asked only about the namespaces it found (a tenth of a big cluster's containers, typically),
            // which changes no answer.
            gateNamespaces = [.. rosResults.Values.SelectMany(r => r.Series).Select(s => s.Labels["namespace"]).Where(n => n.Length > 0).Distinct()];
            if (gateNamespaces.Count == 0)
            {
                skipped.UnionWith([QuerySet.RosContainer, QuerySet.RosNamespace]);
            }

            Enqueue([.. rest.Where(q => Guarded(q) && !skipped.Contains(q.Set))], kindsAfterNodes[true]);
        }

        void DecisionInputAnswered()
        {
            if (Interlocked.Decrement(ref decisionInputsLeft) == 0)
            {
                DecisionInputsAnswered();
            }
        }

        // The gate and the probes are cheap and queued right behind the node queries, so no slot idles while the last node
        // answers come in; after an empty node answer the ones not yet sent are dropped.
        foreach (var node in nodes)
        {
            pool.Add(async ct =>
            {
                await RunQueryAsync(node, ct);
                if (Interlocked.Decrement(ref nodesLeft) == 0)
                {
                    NodesAnswered();
                }

                DecisionInputAnswered();
            });
        }

        foreach (var gate in gates)
        {
            pool.Add(async ct =>
            {
                if (!Volatile.Read(ref stopped))
                {
                    await RunQueryAsync(gate, ct);
                }

                DecisionInputAnswered();
            });
        }

        foreach (var probe in FamilyProbes.All)
        {
            pool.Add(async ct =>
            {
                probes[probe] = !Volatile.Read(ref stopped) && (await WholeAsync(ProbeFor(probe, request), ct)).Series.Count > 0;
                DecisionInputAnswered();
            });
        }

        pool.Add(async ct =>
        {
            if (!Volatile.Read(ref stopped))
            {
                podResources = PodResourceSupply.Decide(await WholeAsync(PodResourceProbeFor(request), ct));
            }

            DecisionInputAnswered();
        });

        await pool.RunAsync(request.MaxParallelQueries, cancellationToken);
        await Task.WhenAll(builds);
        return assembly!.Finish() with { PodResources = podResources };
    }
}
