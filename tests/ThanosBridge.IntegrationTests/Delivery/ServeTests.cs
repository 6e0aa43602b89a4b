using System.Diagnostics;
using System.Net;
using System.Text.Json;
using ThanosBridge.IntegrationTests.Faults;
using ThanosBridge.TestSupport.Bridge;

namespace ThanosBridge.IntegrationTests.Delivery;

/// <summary>The daemon as Kubernetes runs it: probes, metrics, the run at start-up, and SIGTERM.</summary>
public class ServeTests
{
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Serve_BecomesReady_DeliversAtStartUp_ExportsCleanMetrics_AndStopsOnSigterm()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await KokuTestDatabase.CreateAsync(ct);
        var env = BridgeProcess.StackEnvironmentFor(db);
        env["THANOS_BRIDGE_BACKFILL_DAYS"] = "1";
        await using var server = BridgeServer.Start(env);
        using var http = new HttpClient();

        await server.WaitUntilAsync(async () => (await http.GetAsync(new Uri(server.HealthUrl, "readyz"), ct)).StatusCode == HttpStatusCode.OK,
            "/readyz 200", TimeSpan.FromSeconds(60), ct);
        using (var ready = JsonDocument.Parse(await http.GetStringAsync(new Uri(server.HealthUrl, "readyz"), ct)))
        {
            ready.RootElement.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString())
                .ShouldBe(["configuration", "thanos", "database", "s3", "kafka"], ignoreOrder: true);
        }

        (await http.GetStringAsync(new Uri(server.HealthUrl, "healthz"), ct)).ShouldBe("ok");
        (await http.GetAsync(new Uri(server.HealthUrl, "metrics"), ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound, "/metrics is only on the metrics port");

        // The run at start-up delivers every registered cluster and sets the freshness gauge per cluster.
        await server.WaitUntilAsync(async () => (await http.GetStringAsync(server.MetricsUrl, ct)).Contains("thanos_bridge_runs_total{result=\"success\"} 1", StringComparison.Ordinal),
            "a successful run", TimeSpan.FromSeconds(120), ct);
        var metrics = await http.GetStringAsync(server.MetricsUrl, ct);
        foreach (var id in FaultRun.Ids.Values)
        {
            metrics.ShouldContain($"thanos_bridge_cluster_last_delivered_hour_timestamp_seconds{{cluster_id=\"{id}\"}}");
        }

        (await PromtoolCheckMetricsAsync(metrics, ct)).ShouldBe(0, "promtool check metrics must accept /metrics");
        (await FaultRun.SnapshotsAsync(db, ct)).Select(s => s.Cluster).Distinct().Count().ShouldBe(3);

        var stopped = await server.TerminateAsync(GracePeriod, ct);
        server.ExitCode.ShouldBe(0, server.Output);
        stopped.ShouldBeLessThan(GracePeriod);
    }

    [Fact]
    public async Task Serve_SigtermDuringARun_StopsWithinTheGracePeriod_LedgerStaysConsistent_AndTheNextRunFinishes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await KokuTestDatabase.CreateAsync(ct);
        await using var thanos = await FaultInjectingThanos.StartAsync(ct);
        var env = FaultRun.Environment(db, thanos, out _);
        env["THANOS_BRIDGE_BACKFILL_DAYS"] = "1";
        var beta = FaultRun.Id("beta");
        thanos.Inject(beta, ThanosFaults.Hang());
        await using var server = BridgeServer.Start(env);

        // Wait until the run is stuck on beta's query (the others may finish or be mid-run: either is fine).
        await server.WaitUntilAsync(() => Task.FromResult(thanos.FaultedFor(beta).Count > 0), "beta's first query", TimeSpan.FromSeconds(60), ct);
        var stopped = await server.TerminateAsync(GracePeriod, ct);
        stopped.ShouldBeLessThan(GracePeriod, server.Output);

        // Nothing half-done for beta: it never got past collection, so there is no snapshot at all.
        var snapshots = await FaultRun.SnapshotsAsync(db, ct);
        snapshots.ShouldNotContain(s => s.Cluster == beta);
        snapshots.ShouldAllBe(s => s.State == "published" || s.State == "packaged" || s.State == "uploaded");

        thanos.Heal();
        var run = await FaultRun.OnceAsync(env, ct);
        run.ExitCode.ShouldBe(0, run.ToString());
        (await FaultRun.SnapshotsAsync(db, ct)).ShouldAllBe(s => s.State == "published");
        (await FaultRun.SnapshotsAsync(db, ct)).Select(s => s.Cluster).Distinct().Count().ShouldBe(3);
    }

    private static async Task<int> PromtoolCheckMetricsAsync(string metrics, CancellationToken ct)
    {
        var start = new ProcessStartInfo("promtool", ["check", "metrics"]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var promtool = Process.Start(start)!;
        await promtool.StandardInput.WriteAsync(metrics);
        promtool.StandardInput.Close();
        var problems = await promtool.StandardError.ReadToEndAsync(ct) + await promtool.StandardOutput.ReadToEndAsync(ct);
        await promtool.WaitForExitAsync(ct);
        TestContext.Current.TestOutputHelper?.WriteLine(problems);
        return promtool.ExitCode;
    }
}
