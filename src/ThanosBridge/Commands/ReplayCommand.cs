using System.Globalization;
using ThanosBridge.Adapters.Recording;
using ThanosBridge.Core.Collection;
using ThanosBridge.Core.Collection.Promql;
using ThanosBridge.Core.Packaging;
using ThanosBridge.Core.Reports;

namespace ThanosBridge.Commands;

/// <summary>
/// <c>replay</c>: rebuilds the payloads of one cluster from recorded <c>query_range</c> responses, with no network, for
/// support and testing. It writes the tar.gz files exactly as they would be uploaded, one payload per UTC day.
/// </summary>
internal static class ReplayCommand
{
    public const string Usage =
        "replay --input DIR --cluster-id ID --start ISO --end ISO [--step SECONDS] --output DIR [--ros true|false] [--cluster-label NAME] " +
        "[--sample-source metrics-collector|mcoa|prometheus] [--collector-interval SECONDS]";

    internal static readonly string[] Options =
        ["input", "cluster-id", "start", "end", "step", "output", "ros", "cluster-label", "sample-source", "collector-interval"];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TimeProvider time, CancellationToken cancellationToken)
    {
        var a = CommandArguments.Parse("replay", args, Options);
        var input = a.Required("input");
        var output = a.Required("output");
        var clusterId = a.RequiredClusterId("cluster-id");
        var start = a.RequiredHour("start");
        var end = a.RequiredHour("end");
        var ros = a.Bool("ros", true);
        var label = a.Optional("cluster-label") ?? "clusterID";
        var sourceText = a.Optional("sample-source") ?? Sampling.Name(Sampling.AcmDefault.Source);
        if (!Sampling.TryParse(sourceText, out var source))
        {
            throw new UsageException($"replay: --sample-source {sourceText} is not one of metrics-collector, mcoa, prometheus");
        }

        // The recording was made under some sampling; replay must condition it the same way to rebuild the same payload.
        var sampling = new Sampling(source, TimeSpan.FromSeconds(a.Int("collector-interval", (int)Sampling.AcmDefault.Interval.TotalSeconds, 10, 3600)));
        var stepSeconds = a.Int("step", (int)sampling.DefaultStep.TotalSeconds, QueryStep.MinSeconds, QueryStep.MaxSeconds);
        if (QueryStep.Problem(stepSeconds) is { } stepProblem)
        {
            throw new UsageException($"replay: --step {stepProblem}");
        }

        var step = TimeSpan.FromSeconds(stepSeconds);
        if (end <= start)
        {
            throw new UsageException($"replay: --end {end:O} must be after --start {start:O}");
        }

        if (!Directory.Exists(input))
        {
            throw new UsageException($"replay: --input directory {input} does not exist");
        }

        Directory.CreateDirectory(output);
        var collector = new ReportCollector(new RecordedQueryExecutor(input));
        var written = 0;
        for (var dayStart = start; dayStart < end; dayStart = dayStart.Date.AddDays(1))
        {
            var dayEnd = new DateTimeOffset(dayStart.Date.AddDays(1), TimeSpan.Zero);
            var hours = (int)((end < dayEnd ? end : dayEnd) - dayStart).TotalHours;
            var request = new CollectionRequest(clusterId, label, dayStart, hours, step, ros, sampling);
            var reports = await collector.CollectAsync(request, cancellationToken);
            var day = dayStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (reports.HoursWithData.Count == 0)
            {
                await stdout.WriteLineAsync($"{day}: no node data for cluster {clusterId}: nothing to package");
                continue;
            }

            var lastHour = request.Hours[^1];
            var packed = DayPayload.Package(clusterId, reports.Tables, DateOnly.FromDateTime(lastHour.UtcDateTime), lastHour.Hour + 1, Guid.NewGuid(), time.GetUtcNow());
            foreach (var payload in packed.Payloads)
            {
                var path = Path.Combine(output, payload.FileName);
                await File.WriteAllBytesAsync(path, payload.Content, cancellationToken);
                await stdout.WriteLineAsync(
                    $"{path}  {payload.Content.Length} bytes  cluster {clusterId}  day {day}  hours {reports.HoursWithData.Count}/{hours}  " +
                    $"rows {string.Join(' ', reports.Tables.Select(t => $"{t.Kind.FileStem()}={t.Rows.Count}"))}");
                written++;
            }
        }

        return written > 0 ? 0 : 1;
    }
}
