using System.Diagnostics;
using System.Globalization;
using ThanosBridge.Core.Collection.Catalog;
using ThanosBridge.Core.Collection.Prometheus;
using ThanosBridge.Core.Discovery;
using ThanosBridge.Core.Packaging;
using ThanosBridge.Core.Reports;

// One synthetic cluster-day, as large as a big cluster: the pod and node families at step 60 for 24 hours. Measures
// the three stages a run spends its CPU and memory on: reading query_range JSON, building the reports, packaging.
var pods = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
var nodes = Math.Max(3, pods / 40);
var day = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
var hours = Enumerable.Range(0, 24).Select(h => day.AddHours(h)).ToList();
var step = TimeSpan.FromSeconds(60);
var timestamps = Enumerable.Range(0, 24 * 60).Select(i => day.AddMinutes(i).ToUnixTimeMilliseconds()).ToArray();

QueryResult Matrix(int count, Func<int, (string Name, string Value)[]> labels, Func<int, double> value) =>
    new([.. Enumerable.Range(0, count).Select(i => new Series(LabelSet.Of(labels(i)), [.. timestamps.Select(t => new Sample(t, value(i)))]))], []);

(string, string)[] PodLabels(int i) => [("namespace", $"ns-{i % 50}"), ("pod", $"pod-{i:D5}"), ("node", $"node-{i % nodes}")];
var results = new Dictionary<string, QueryResult>(StringComparer.Ordinal);
foreach (var q in QueryCatalog.Of(QuerySet.Node).Where(q => q.Value is not null))
{
    results[q.Name] = Matrix(nodes, i => [("node", $"node-{i}"), ("provider_id", $"aws:///us-east-1a/i-{i:x12}")], i => 16 + i);
}

results["node-role"] = Matrix(nodes, i => [("node", $"node-{i}"), ("role", "worker")], _ => 1);
results["node-labels"] = Matrix(nodes, i => [("node", $"node-{i}"), ("label_kubernetes_io_hostname", $"node-{i}")], _ => 1);
foreach (var q in QueryCatalog.Of(QuerySet.Pod).Where(q => q.Value is not null))
{
    results[q.Name] = Matrix(pods, PodLabels, i => 0.001 * (i % 997));
}

results["pod-labels"] = Matrix(pods, i => [.. PodLabels(i), ("label_app", $"app-{i % 30}"), ("label_team", "cost")], _ => 1);
var samples = results.Values.Sum(r => r.Series.Sum(s => (long)s.Samples.Count));

// 1. JSON: write the largest response and read it back as the client does (streaming).
var json = new MemoryStream();
PrometheusJsonWriter.Write(results["pod-usage-cpu-cores"], json);
var sw = Stopwatch.StartNew();
json.Position = 0;
var parsed = await PrometheusJsonReader.ReadQueryRangeAsync(json, CancellationToken.None);
var jsonSeconds = sw.Elapsed.TotalSeconds;

// 2. Reports, 3. packaging.
GC.Collect();
var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
sw.Restart();
var reports = ReportBuilder.Build(new ReportInputs(hours, step, results, RosEnabled: false));
var buildSeconds = sw.Elapsed.TotalSeconds;
sw.Restart();
var packaged = PayloadPackager.Package(new PayloadRequest
{
    ClusterId = ClusterId.Parse("bench"),
    Uuid = Guid.NewGuid(),
    PackagingTime = day.AddDays(1),
    Start = day,
    End = day.AddDays(1).AddSeconds(-1),
    Tables = reports.Tables,
});
var packageSeconds = sw.Elapsed.TotalSeconds;
var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

// 4. What the next snapshot of the day pays to start from this one: reading the payload's tables back.
sw.Restart();
var reread = PayloadReader.ReadTables(packaged.Payloads.Select(p => p.Content));
var rereadSeconds = sw.Elapsed.TotalSeconds;

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cluster-day: {pods} pods, {nodes} nodes, 24 h at step 60 s, {results.Count} queries, {samples:N0} samples"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"json read:   {json.Length / 1048576.0:F1} MiB query_range body ({parsed.Series.Count} series) in {jsonSeconds:F2} s = {json.Length / 1048576.0 / jsonSeconds:F0} MiB/s"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"reports:     {reports.Tables.Sum(t => t.Rows.Count):N0} rows in {buildSeconds:F2} s"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"packaging:   {packaged.Payloads.Sum(p => (long)p.Content.Length) / 1024.0:F0} KiB tar.gz in {packageSeconds:F2} s"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"re-read:     {reread.Sum(t => t.Rows.Count):N0} rows back from the payload in {rereadSeconds:F2} s (what the next snapshot of the day starts from)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"memory:      {allocated / 1048576.0:F0} MiB allocated by reports+packaging, peak working set {Environment.WorkingSet / 1048576.0:F0} MiB (process {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MiB peak)"));
