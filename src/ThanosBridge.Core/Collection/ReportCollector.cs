using ThanosBridge.Core.Catalog;
using ThanosBridge.Core.Prometheus;
using ThanosBridge.Core.Promql;
using ThanosBridge.Core.Reports;

namespace ThanosBridge.Core.Collection;

/// <summary>What to collect for one cluster: whole UTC hours of one day.</summary>
/// <param name="ClusterId">Validated before use; it is injected as a label matcher, never concatenated.</param>
/// <param name="ClusterLabel">The label carrying the cluster id on the hub (default <c>clusterID</c>).</param>
/// <param name="FirstHour">The first hour, e.g. 00:00 of the day.</param>
/// <param name="HourCount">How many consecutive hours, all in FirstHour's UTC day.</param>
public sealed record CollectionRequest(
    string ClusterId,
    string ClusterLabel,
    DateTimeOffset FirstHour,
    int HourCount,
    TimeSpan Step,
    bool RosEnabled)
{
    public IReadOnlyList<DateTimeOffset> Hours => [.. Enumerable.Range(0, HourCount).Select(i => FirstHour.AddHours(i))];
}

/// <summary>
/// Runs the catalog for one cluster with one range query per query covering all requested hours (never one query per
/// hour), then builds the reports locally. Cost queries are evaluated every <c>Step</c> over
/// [first hour, last hour + 1 h − step]; ROS queries every 15 minutes over (first hour, last hour + 1 h] (Bridge decision h).
/// </summary>
public sealed class ReportCollector(IQueryExecutor executor)
{
    private static readonly TimeSpan RosStep = TimeSpan.FromMinutes(15);

    public static void Validate(CollectionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ClusterIdValidator.EnsureValid(request.ClusterId);
        if (request.FirstHour.Offset != TimeSpan.Zero || request.FirstHour.Ticks % TimeSpan.TicksPerHour != 0)
        {
            throw new ArgumentException($"the first hour {request.FirstHour:O} is not a whole UTC hour", nameof(request));
        }

        if (request.HourCount is < 1 or > 24 || request.FirstHour.AddHours(request.HourCount - 1).Date != request.FirstHour.Date)
        {
            throw new ArgumentException($"{request.HourCount} hours from {request.FirstHour:O} do not fit in one UTC day", nameof(request));
        }

        if (request.Step <= TimeSpan.Zero || TimeSpan.FromHours(1).Ticks % request.Step.Ticks != 0)
        {
            throw new ArgumentException($"the step {request.Step.TotalSeconds} s does not divide an hour", nameof(request));
        }
    }

    /// <summary>The queries a request runs, in catalog order.</summary>
    public static IReadOnlyList<QueryDefinition> QueriesFor(CollectionRequest request) =>
        [.. QueryCatalog.All.Where(q => request.RosEnabled || !q.IsRos)];

    /// <summary>The range a query is evaluated over for a request.</summary>
    public static QueryRange RangeFor(QueryDefinition query, CollectionRequest request)
    {
        var end = request.FirstHour.AddHours(request.HourCount);
        return query.IsRos
            ? new QueryRange(request.FirstHour + RosStep, end, RosStep)
            : new QueryRange(request.FirstHour, end - request.Step, request.Step);
    }

    public async Task<ReportSet> CollectAsync(CollectionRequest request, CancellationToken cancellationToken)
    {
        Validate(request);
        var results = new Dictionary<string, QueryResult>(StringComparer.Ordinal);
        var queries = QueriesFor(request);
        async Task RunAsync(IEnumerable<QueryDefinition> batch)
        {
            foreach (var query in batch)
            {
                var expression = ClusterLabelInjector.Inject(query.Expression, request.ClusterLabel, request.ClusterId);
                results[query.Name] = await executor.ExecuteAsync(query, expression, RangeFor(query, request), cancellationToken);
            }
        }

        // Node queries first: no node data means nothing for those hours in any report (§1.6), so the other queries
        // are spared, which matters for days before a cluster existed or beyond Thanos's retention.
        await RunAsync(queries.Where(q => q.Set == QuerySet.Node));
        if (results.Values.Any(r => r.Series.Count > 0))
        {
            await RunAsync(queries.Where(q => q.Set != QuerySet.Node));
        }

        return ReportBuilder.Build(new ReportInputs(request.Hours, request.Step, results, request.RosEnabled));
    }
}
