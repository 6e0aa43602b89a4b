using System.Globalization;
using System.Text;
using System.Text.Json;
using ThanosBridge.Adapters.Recording;
using ThanosBridge.Adapters.Thanos;
using ThanosBridge.Core.Collection;
using ThanosBridge.Core.Collection.Catalog;
using ThanosBridge.Core.Collection.Prometheus;
using ThanosBridge.Core.Csv;
using ThanosBridge.Core.Discovery;
using ThanosBridge.Core.Packaging;
using ThanosBridge.Core.Reports;
using ThanosBridge.TestSupport;
using ThanosBridge.TestSupport.Koku;

namespace ThanosBridge.IntegrationTests.Pipeline;

/// <summary>
/// The whole catalog against the stack's real Prometheus for two demo clusters: numbers checked against the values the
/// demo generator computed from its raw samples, cluster isolation, koku's rules, and replay of the recorded responses.
/// </summary>
public class LiveCatalogTests
{
    // Tolerance: the generator emulates Prometheus's arithmetic in Python in the same evaluation order, but
    // Prometheus's `sum by` may add container series in another order, which moves the last bits of a double;
    // values also pass through F6 text (±5e-7). 1e-6 absolute + 1e-11 relative covers both and is still far below
    // anything a wrong query, join, step or window would produce (the smallest real value is ~1e-3 core-seconds).
    private const double AbsoluteTolerance = 1e-6;
    private const double RelativeTolerance = 1e-11;

    private static readonly TimeSpan Step = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("alpha", "beta")]
    [InlineData("beta", "alpha")]
    public async Task WholeCatalog_ForOneDemoCluster_MatchesGeneratorValues_AndReplaysIdentically(string name, string otherName)
    {
        var ct = TestContext.Current.CancellationToken;
        var expect = DemoExpectations.Load();
        var clusterId = expect.ClusterId(name);
        var otherId = expect.ClusterId(otherName);
        var day = expect.LastFullDay();
        var recordRoot = Directory.CreateTempSubdirectory("thanos-bridge-record-").FullName;
        var recordDir = Path.Combine(recordRoot, clusterId);
        var request = new CollectionRequest(ClusterId.Parse(clusterId), "clusterID", day, 24, Step, RosEnabled: true);

        var options = new ThanosClientOptions { BaseUrl = StackEnvironment.Current.ThanosQueryUrl };
        using var http = ThanosHttpClientFactory.CreateHttpClient(options);
        var client = new ThanosQueryClient(http, options, TimeProvider.System);
        var live = await new ReportCollector(new ThanosQueryExecutor(client, recordRoot))
            .CollectAsync(request, ct);

        live.HoursWithData.Count.ShouldBe(24);
        foreach (var hour in request.Hours)
        {
            CheckPods(live, expect, clusterId, hour);
            CheckStorage(live, expect, clusterId, hour);
            CheckVms(live, expect, clusterId, hour);
        }

        await CheckOnlyThisClusterWasReturned(recordDir, clusterId, ct);
        AllText(live).ShouldNotContain(otherId);
        live.Has(ReportKind.RosContainer).ShouldBeTrue("the demo data opts namespaces into resource optimization");
        live.Has(ReportKind.RosNamespace).ShouldBeTrue();

        var uuid = Guid.NewGuid();
        var packagedAt = day.AddDays(1).AddMinutes(20);
        var livePayload = Package(clusterId, live, day, uuid, packagedAt);
        KokuPayloadValidator.AssertValid(livePayload);

        var replayed = await new ReportCollector(new RecordedQueryExecutor(recordDir)).CollectAsync(request, ct);
        Package(clusterId, replayed, day, uuid, packagedAt).ShouldBe(livePayload, "replay of the recorded responses must rebuild the same payload");
    }

    private static byte[] Package(string clusterId, ReportSet reports, DateTimeOffset day, Guid uuid, DateTimeOffset at)
    {
        var result = DayPayload.Package(ClusterId.Parse(clusterId), reports.Tables, DateOnly.FromDateTime(day.UtcDateTime), 24, uuid, at);
        result.Payloads.Count.ShouldBe(1);
        return result.Payloads[0].Content;
    }

    private static void CheckPods(ReportSet reports, DemoExpectations expect, string clusterId, DateTimeOffset hour)
    {
        var expected = expect.Rows(clusterId, hour, "pods");
        var nodes = expect.Rows(clusterId, hour, "nodes");
        var rows = RowsOf(reports[ReportKind.Pod], hour);
        expected.ShouldNotBeEmpty();
        rows.Select(r => r["namespace"] + "/" + r["pod"]).Order(StringComparer.Ordinal)
            .ShouldBe(expected.Keys.Order(StringComparer.Ordinal), $"pod rows of {hour:O}");
        foreach (var row in rows)
        {
            var key = row["namespace"] + "/" + row["pod"];
            var want = expected[key];
            row["node"].ShouldBe(want["node"].GetString(), $"{key} {hour:O} node");
            foreach (var column in new[]
            {
                "pod_usage_cpu_core_seconds", "pod_request_cpu_core_seconds", "pod_limit_cpu_core_seconds",
                "pod_usage_memory_byte_seconds", "pod_request_memory_byte_seconds", "pod_limit_memory_byte_seconds",
            })
            {
                Check(row, column, want, $"{key} {hour:O}");
            }

            var node = nodes[row["node"]];
            foreach (var column in new[]
            {
                "node_capacity_cpu_cores", "node_capacity_cpu_core_seconds", "node_capacity_memory_bytes", "node_capacity_memory_byte_seconds",
            })
            {
                Check(row, column, node, $"{key} {hour:O} (node {row["node"]})");
            }
        }

        RowsOf(reports[ReportKind.Node], hour).Select(r => r["node"]).Order(StringComparer.Ordinal)
            .ShouldBe(nodes.Keys.Order(StringComparer.Ordinal), $"node rows of {hour:O}");
    }

    private static void CheckStorage(ReportSet reports, DemoExpectations expect, string clusterId, DateTimeOffset hour)
    {
        var expected = expect.Rows(clusterId, hour, "storage");
        var rows = RowsOf(reports[ReportKind.Storage], hour);
        expected.ShouldNotBeEmpty();
        rows.Select(r => r["persistentvolume"]).Order(StringComparer.Ordinal)
            .ShouldBe(expected.Keys.Order(StringComparer.Ordinal), $"storage rows of {hour:O}");
        foreach (var row in rows)
        {
            var want = expected[row["persistentvolume"]];
            var what = $"volume {row["persistentvolume"]} {hour:O}";
            foreach (var column in want.Keys)
            {
                Check(row, column, want, what);
            }
        }
    }

    private static void CheckVms(ReportSet reports, DemoExpectations expect, string clusterId, DateTimeOffset hour)
    {
        var expected = expect.Rows(clusterId, hour, "vms");
        var rows = RowsOf(reports[ReportKind.VirtualMachine], hour);
        expected.ShouldNotBeEmpty("alpha and beta run virtual machines");
        var keys = rows.Select(r => r["namespace"] + "/" + r["vm_name"]).ToList();
        keys.ShouldBeUnique();
        expected.Keys.ShouldBeSubsetOf(keys, $"VM rows of {hour:O}");
        foreach (var row in rows)
        {
            var key = row["namespace"] + "/" + row["vm_name"];
            if (!expected.ContainsKey(key))
            {
                // A VM that is defined but not running still has kubevirt_vm_labels, which has no running-VMI join:
                // CMMO gives it a row with only name, namespace and labels (§1.5), as it does for label-only pods.
                row["vm_labels"].ShouldNotBeEmpty($"VM {key} {hour:O} has no expected values, so it must be a label-only row");
                foreach (var column in ReportHeaders.VirtualMachine.Skip(4).Except(["namespace", "vm_name", "vm_labels"]))
                {
                    row[column].ShouldBeEmpty($"VM {key} {hour:O}: label-only row, {column}");
                }

                continue;
            }

            foreach (var (column, value) in expected[key])
            {
                Check(row, column, expected[key], $"VM {key} {hour:O}");
            }
        }
    }

    private static void Check(Dictionary<string, string> row, string column, Dictionary<string, JsonElement> expected, string what)
    {
        if (!expected.TryGetValue(column, out var want))
        {
            row[column].ShouldBeEmpty($"{what}: {column} has no expected value, so it must be empty");
            return;
        }

        if (want.ValueKind == JsonValueKind.String)
        {
            row[column].ShouldBe(want.GetString(), $"{what}: {column}");
            return;
        }

        row[column].ShouldNotBeEmpty($"{what}: {column}");
        var actual = double.Parse(row[column], NumberStyles.Float, CultureInfo.InvariantCulture);
        var wanted = want.GetDouble();
        Math.Abs(actual - wanted).ShouldBeLessThanOrEqualTo(
            AbsoluteTolerance + (RelativeTolerance * Math.Abs(wanted)), $"{what}: {column} = {row[column]}, generator says {wanted:R}");
    }

    private static List<Dictionary<string, string>> RowsOf(CsvTable table, DateTimeOffset hour)
    {
        var start = CsvFormat.Timestamp(hour);
        return [.. table.Rows.Where(r => r[2] == start)
            .Select(r => table.Header.Select((h, i) => (h, r[i])).ToDictionary(p => p.h, p => p.Item2, StringComparer.Ordinal))];
    }

    private static async Task CheckOnlyThisClusterWasReturned(string recordDir, string clusterId, CancellationToken ct)
    {
        var files = Directory.GetFiles(recordDir, "*.json");
        files.Length.ShouldBe(92 + FamilyProbes.All.Count + 1, "one recorded response per catalog query, per family probe and for the pod resource probe");
        var seriesWithCluster = 0;
        foreach (var file in files)
        {
            await using var stream = File.OpenRead(file);
            var result = await PrometheusJsonReader.ReadQueryRangeAsync(stream, ct);
            foreach (var series in result.Series)
            {
                if (series.Labels.TryGet("clusterID", out var id))
                {
                    id.ShouldBe(clusterId, $"{Path.GetFileName(file)} returned a series of another cluster");
                    seriesWithCluster++;
                }
            }
        }

        seriesWithCluster.ShouldBeGreaterThan(0, "some queries keep the clusterID label, so the check above must have run");
    }

    private static string AllText(ReportSet reports)
    {
        var text = new StringBuilder();
        foreach (var table in reports.Tables)
        {
            text.Append(Encoding.UTF8.GetString(CsvWriter.ToBytes(table)));
        }

        return text.ToString();
    }
}
