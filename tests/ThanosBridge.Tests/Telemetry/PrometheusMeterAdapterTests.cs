using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using ThanosBridge.Core.Collection.Catalog;
using ThanosBridge.Core.Discovery;
using ThanosBridge.Core.Metrics;
using ThanosBridge.Health;
using ThanosBridge.Telemetry;
using ThanosBridge.TestSupport.Fakes;
using ThanosBridge.TestSupport.Logging;

namespace ThanosBridge.Tests.Telemetry;

public sealed class PrometheusMeterAdapterTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 8, 5, 12, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly PrometheusMeterAdapter sut;
    private readonly FakeLogger<PrometheusMeterAdapter> log = new();
    private readonly BridgeMetrics metrics;

    public PrometheusMeterAdapterTests()
    {
        sut = new PrometheusMeterAdapter(Factory, log);
        metrics = new BridgeMetrics(Factory, "1.2.3+abc");
    }

    private IMeterFactory Factory => services.GetRequiredService<IMeterFactory>();

    public void Dispose()
    {
        sut.Dispose();
        services.Dispose();
    }

    [Fact]
    public async Task Collect_NothingRecorded_ListsWhatExistsBeforeAnyRun()
    {
        var text = await sut.CollectAsync(TestContext.Current.CancellationToken);

        // A metric is registered at its first measurement: the gauges observed at every scrape and the failure counters
        // that start at 0 (so that increase() sees the very first failure); the others appear with their first value.
        TypeLines(text).Order(StringComparer.Ordinal).ShouldBe([
            "# TYPE thanos_bridge_build_info gauge",
            "# TYPE thanos_bridge_cluster_registration_failures_total counter",
            "# TYPE thanos_bridge_cluster_registrations_total counter",
            "# TYPE thanos_bridge_clusters_discovered gauge",
            "# TYPE thanos_bridge_clusters_unregistered gauge",
            "# TYPE thanos_bridge_confirmation_check_failures_total counter",
            "# TYPE thanos_bridge_kafka_failures_total counter",
            "# TYPE thanos_bridge_last_successful_run_timestamp_seconds gauge",
            "# TYPE thanos_bridge_managed_clusters_disappeared gauge",
            "# TYPE thanos_bridge_managed_clusters_skipped gauge",
            "# TYPE thanos_bridge_s3_failures_total counter",
            "# TYPE thanos_bridge_snapshot_reannouncements_total counter",
            "# TYPE thanos_bridge_snapshots_confirmed_total counter",
        ]);
        text.ShouldContain("# HELP thanos_bridge_s3_failures_total Failed S3 uploads or URL signings.\n# TYPE thanos_bridge_s3_failures_total counter\nthanos_bridge_s3_failures_total 0\n");
        text.ShouldContain("thanos_bridge_build_info{version=\"1.2.3+abc\"} 1\n");
        text.ShouldContain("thanos_bridge_last_successful_run_timestamp_seconds 0\n");
    }

    [Fact]
    public async Task Collect_EveryInstrumentFed_ListsEveryFamilyWithItsTypeAndHelp()
    {
        FeedEverything();

        var text = await sut.CollectAsync(TestContext.Current.CancellationToken);

        TypeLines(text).Order(StringComparer.Ordinal).ShouldBe([
            "# TYPE thanos_bridge_build_info gauge",
            "# TYPE thanos_bridge_cluster_last_delivered_hour_timestamp_seconds gauge",
            "# TYPE thanos_bridge_cluster_registration_failures_total counter",
            "# TYPE thanos_bridge_cluster_registrations_total counter",
            "# TYPE thanos_bridge_cluster_runs_total counter",
            "# TYPE thanos_bridge_clusters_discovered gauge",
            "# TYPE thanos_bridge_clusters_skipped gauge",
            "# TYPE thanos_bridge_clusters_unregistered gauge",
            "# TYPE thanos_bridge_confirmation_check_failures_total counter",
            "# TYPE thanos_bridge_empty_query_results_total counter",
            "# TYPE thanos_bridge_kafka_failures_total counter",
            "# TYPE thanos_bridge_last_successful_run_timestamp_seconds gauge",
            "# TYPE thanos_bridge_managed_clusters_disappeared gauge",
            "# TYPE thanos_bridge_managed_clusters_skipped gauge",
            "# TYPE thanos_bridge_payload_size_bytes histogram",
            "# TYPE thanos_bridge_payloads_published_total counter",
            "# TYPE thanos_bridge_pod_resources_source gauge",
            "# TYPE thanos_bridge_queries_total counter",
            "# TYPE thanos_bridge_query_duration_seconds histogram",
            "# TYPE thanos_bridge_query_failures_total counter",
            "# TYPE thanos_bridge_report_rows_total counter",
            "# TYPE thanos_bridge_run_duration_seconds histogram",
            "# TYPE thanos_bridge_runs_total counter",
            "# TYPE thanos_bridge_s3_failures_total counter",
            "# TYPE thanos_bridge_snapshot_reannouncements_total counter",
            "# TYPE thanos_bridge_snapshots_confirmed_total counter",
            "# TYPE thanos_bridge_snapshots_unconfirmed gauge",
            "# TYPE thanos_bridge_unconfirmed_snapshot_oldest_published_timestamp_seconds gauge",
        ]);
        text.ShouldContain("# HELP thanos_bridge_runs_total Delivery runs by result (success, partial, failure).\n# TYPE thanos_bridge_runs_total counter\n");
    }

    [Fact]
    public async Task Collect_Counters_SumPerLabelSet()
    {
        metrics.Runs.Add(1, new KeyValuePair<string, object?>("result", "success"));
        metrics.Runs.Add(1, new KeyValuePair<string, object?>("result", "failure"));
        metrics.Runs.Add(2, new KeyValuePair<string, object?>("result", "success"));
        metrics.S3Failures.Add(1);
        metrics.QueryFailures.Add(1, new("reason", "Timeout"), new("query", "node-cpu"));

        var text = await sut.CollectAsync(TestContext.Current.CancellationToken);

        text.ShouldContain("thanos_bridge_runs_total{result=\"failure\"} 1\n");
        text.ShouldContain("thanos_bridge_runs_total{result=\"success\"} 3\n");
        text.ShouldContain("thanos_bridge_s3_failures_total 1\n");
        text.ShouldContain("thanos_bridge_query_failures_total{query=\"node-cpu\",reason=\"Timeout\"} 1\n");
    }

    [Fact]
    public async Task Collect_DurationHistogram_WritesCumulativeBucketsSumAndCount()
    {
        metrics.RunDuration.Record(0.05);
        metrics.RunDuration.Record(3);
        metrics.RunDuration.Record(700);

        var text = await sut.CollectAsync(TestContext.Current.CancellationToken);

        text.ShouldContain(
            "thanos_bridge_run_duration_seconds_sum 703.05\n" +
            "thanos_bridge_run_duration_seconds_count 3\n" +
            "thanos_bridge_run_duration_seconds_bucket{le=\"0.05\"} 1\n" +
            "thanos_bridge_run_duration_seconds_bucket{le=\"0.1\"} 1\n" +
            "thanos_bridge_run_duration_seconds_bucket{le=\"0.25\"} 1\n" +
            "thanos_bridge_run_duration_seconds_bucket{le=\"0.5\"} 1\n" +
            "thanos_bridge_run_duration_seconds_bucket{le=\"1\"} 1\n" +
            "thanos_bridge_run_duration_seconds_bucket{le=\"2.5\"} 1\n" +
            "thanos_bridge_run_duration_seconds_bucket{le=\"5\"} 2\n" +
            "thanos_bridge_run_duration_seconds_bucket{le=\"10\"} 2\n" +
            "thanos_bridge_run_duration_seconds_bucket{le=\"30\"} 2\n" +
            "thanos_bridge_run_duration_seconds_bucket{le=\"60\"} 2\n" +
            "thanos_bridge_run_duration_seconds_bucket{le=\"120\"} 2\n" +
            "thanos_bridge_run_duration_seconds_bucket{le=\"300\"} 2\n" +
            "thanos_bridge_run_duration_seconds_bucket{le=\"600\"} 2\n" +
            "thanos_bridge_run_duration_seconds_bucket{le=\"+Inf\"} 3\n");
    }

    [Fact]
    public async Task Collect_SizeHistogramWithLabels_PutsLeLastAndUsesByteBuckets()
    {
        metrics.PayloadBytes.Record(2048);
        metrics.QueryDuration.Record(0.2, new KeyValuePair<string, object?>("query", "node-cpu"));

        var text = await sut.CollectAsync(TestContext.Current.CancellationToken);

        text.ShouldContain("thanos_bridge_payload_size_bytes_bucket{le=\"1024\"} 0\nthanos_bridge_payload_size_bytes_bucket{le=\"4096\"} 1\n");
        text.ShouldContain("thanos_bridge_payload_size_bytes_bucket{le=\"268435456\"} 1\nthanos_bridge_payload_size_bytes_bucket{le=\"+Inf\"} 1\n");
        text.ShouldContain("thanos_bridge_query_duration_seconds_bucket{query=\"node-cpu\",le=\"0.25\"} 1\n");
        text.ShouldContain("thanos_bridge_query_duration_seconds_count{query=\"node-cpu\"} 1\n");
    }

    [Fact]
    public async Task Collect_ObservableGauges_ReportCurrentValuesAndDropVanishedLabels()
    {
        metrics.SetLastSuccessfulRun(At);
        metrics.SetLastDelivered(ClusterId.Parse("c1"), At);
        metrics.SetDiscovery(3, new Dictionary<string, int> { ["listener_mismatch"] = 1 }, 2);
        (await sut.CollectAsync(TestContext.Current.CancellationToken)).ShouldContain("thanos_bridge_clusters_skipped{reason=\"listener_mismatch\"} 1\n");

        metrics.SetDiscovery(4, new Dictionary<string, int> { ["missing_org_id"] = 2 }, 0);
        var text = await sut.CollectAsync(TestContext.Current.CancellationToken);

        text.ShouldContain("thanos_bridge_last_successful_run_timestamp_seconds 1785931200\n");
        text.ShouldContain("thanos_bridge_cluster_last_delivered_hour_timestamp_seconds{cluster_id=\"c1\"} 1785931200\n");
        text.ShouldContain("thanos_bridge_clusters_discovered 4\n");
        text.ShouldContain("thanos_bridge_clusters_unregistered 0\n");
        text.ShouldContain("thanos_bridge_clusters_skipped{reason=\"missing_org_id\"} 2\n");
        text.ShouldNotContain("listener_mismatch");
    }

    [Fact]
    public async Task Collect_PodResourcesSource_OneForTheSourceEachClusterRead_ZeroForTheOthers_ForgottenWithTheCluster()
    {
        metrics.SetPodResources(ClusterId.Parse("sno-1"), new Dictionary<PodResourceFamily, PodResourceSource>
        {
            [PodResourceFamily.Requests] = PodResourceSource.Recorded,
            [PodResourceFamily.Limits] = PodResourceSource.Missing,
        });
        metrics.SetPodResources(ClusterId.Parse("c2"), PodResourceSupply.Families.ToDictionary(f => f, _ => PodResourceSource.Raw));

        var text = await sut.CollectAsync(TestContext.Current.CancellationToken);
        metrics.RetainLastDelivered(new HashSet<ClusterId> { ClusterId.Parse("c2") });
        var after = await sut.CollectAsync(TestContext.Current.CancellationToken);

        text.ShouldContain("thanos_bridge_pod_resources_source{cluster_id=\"sno-1\",family=\"requests\",source=\"recorded\"} 1\n");
        text.ShouldContain("thanos_bridge_pod_resources_source{cluster_id=\"sno-1\",family=\"requests\",source=\"raw\"} 0\n");
        text.ShouldContain("thanos_bridge_pod_resources_source{cluster_id=\"sno-1\",family=\"limits\",source=\"missing\"} 1\n");
        text.ShouldContain("thanos_bridge_pod_resources_source{cluster_id=\"c2\",family=\"limits\",source=\"raw\"} 1\n");
        text.Split('\n').Count(l => l.StartsWith("thanos_bridge_pod_resources_source{", StringComparison.Ordinal)).ShouldBe(12, "2 clusters x 2 families x 3 sources");
        after.ShouldNotContain("sno-1");
        after.ShouldContain("thanos_bridge_pod_resources_source{cluster_id=\"c2\",family=\"requests\",source=\"raw\"} 1\n");
    }

    [Fact]
    public async Task Collect_LastDeliveredSetToAnEarlierHour_KeepsTheLaterOne()
    {
        // A run reads the ledger's view while its deliveries are going: a delivery may have set a later hour first.
        metrics.SetLastDelivered(ClusterId.Parse("c1"), At);
        metrics.SetLastDelivered(ClusterId.Parse("c1"), At.AddHours(-5));
        metrics.SetLastDelivered(ClusterId.Parse("c2"), At.AddHours(-5));
        metrics.SetLastDelivered(ClusterId.Parse("c2"), At);

        var text = await sut.CollectAsync(TestContext.Current.CancellationToken);

        text.ShouldContain("thanos_bridge_cluster_last_delivered_hour_timestamp_seconds{cluster_id=\"c1\"} 1785931200\n");
        text.ShouldContain("thanos_bridge_cluster_last_delivered_hour_timestamp_seconds{cluster_id=\"c2\"} 1785931200\n");
    }

    [Fact]
    public async Task Collect_LabelValueAndHelpWithSpecialCharacters_AreEscaped()
    {
        var meter = Factory.Create(BridgeMetrics.MeterName);
        var counter = meter.CreateCounter<long>("escapes", null, "Help with \\ and\nnewline \"quoted\".");

        counter.Add(1, new KeyValuePair<string, object?>("cluster.id", "a\"b\\c\nd"));
        var text = await sut.CollectAsync(TestContext.Current.CancellationToken);

        text.ShouldContain("# HELP thanos_bridge_escapes_total Help with \\\\ and\\nnewline \"quoted\".\n");
        text.ShouldContain("thanos_bridge_escapes_total{cluster_id=\"a\\\"b\\\\c\\nd\"} 1\n");
    }

    [Fact]
    public async Task Collect_OtherMeterOrOtherFactory_IsNotExported()
    {
        using var otherServices = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var other = new BridgeMetrics(otherServices.GetRequiredService<IMeterFactory>(), "9.9.9");
        other.Runs.Add(5, new KeyValuePair<string, object?>("result", "success"));
        using var foreign = new Meter("SomethingElse");
        foreign.CreateCounter<long>("foreign").Add(1);

        var text = await sut.CollectAsync(TestContext.Current.CancellationToken);

        text.ShouldNotContain("9.9.9");
        text.ShouldNotContain("thanos_bridge_runs_total{");
        text.ShouldNotContain("foreign");
    }

    [Fact]
    public async Task Collect_DependencyGauge_ExportsOneAndZeroPerDependency()
    {
        var state = new ReadinessState(new FakeTimeProvider(), ["thanos", "database", "s3"]);
        _ = new HealthMetrics(Factory, state);
        state.RecordSuccess("thanos");
        state.RecordFailure("database", "down");

        var text = await sut.CollectAsync(TestContext.Current.CancellationToken);

        text.ShouldContain(
            "# HELP thanos_bridge_dependency_up 1 when the latest readiness check of the dependency passed, 0 when it failed or has not run yet.\n" +
            "# TYPE thanos_bridge_dependency_up gauge\n");
        text.ShouldContain("thanos_bridge_dependency_up{dependency=\"database\"} 0\n");
        text.ShouldContain("thanos_bridge_dependency_up{dependency=\"s3\"} 0\n");
        text.ShouldContain("thanos_bridge_dependency_up{dependency=\"thanos\"} 1\n");
        text.ShouldNotContain("configuration");
    }

    [Fact]
    public async Task Collect_GaugeCallbackThrows_OtherFamiliesStillWritten()
    {
        var meter = Factory.Create(BridgeMetrics.MeterName);
        meter.CreateObservableGauge<int>("broken", (Func<int>)(() => throw new InvalidOperationException("boom")));
        metrics.S3Failures.Add(1);

        var text = await sut.CollectAsync(TestContext.Current.CancellationToken);

        text.ShouldContain("thanos_bridge_s3_failures_total 1\n");
        text.ShouldNotContain("thanos_bridge_broken");
        log.Messages(9020).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Collect_EveryInstrumentFed_PassesPromtoolCheckMetrics()
    {
        FeedEverything();
        _ = new HealthMetrics(Factory, new ReadinessState(new FakeTimeProvider(), ["thanos", "database", "s3", "kafka"]));

        var (exitCode, output) = await Promtool.CheckMetricsAsync(await sut.CollectAsync(TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);

        output.ShouldBeEmpty();
        exitCode.ShouldBe(0);
    }

    [Fact]
    public async Task Collect_MeasurementWithOtherLabelNames_IsLeftOutAndLogged()
    {
        var meter = Factory.Create(BridgeMetrics.MeterName);
        var counter = meter.CreateCounter<long>("mixed", null, "Labels change.");
        counter.Add(1, new KeyValuePair<string, object?>("a", "x"));

        counter.Add(5, new KeyValuePair<string, object?>("b", "y"));
        var text = await sut.CollectAsync(TestContext.Current.CancellationToken);

        text.ShouldContain("thanos_bridge_mixed_total{a=\"x\"} 1\n");
        text.ShouldNotContain("b=\"y\"");
        log.Messages(9021).ShouldBe(["a measurement of thanos_bridge_mixed_total has other label names than its first one; /metrics leaves it out"]);
    }

    private void FeedEverything()
    {
        KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);
        metrics.Runs.Add(1, Tag("result", "success"));
        metrics.RunDuration.Record(12.5);
        metrics.ClusterRuns.Add(1, Tag("result", "delivered"));
        metrics.Queries.Add(3, Tag("query", "node-cpu"));
        metrics.QueryFailures.Add(1, Tag("query", "node-cpu"), Tag("reason", "Timeout"));
        metrics.QueryDuration.Record(0.7, Tag("query", "node-cpu"));
        metrics.EmptyQueries.Add(1, Tag("query", "pod-request-cpu"));
        metrics.Rows.Add(100, Tag("report", "pod_usage"));
        metrics.Payloads.Add(1, Tag("result", "success"));
        metrics.PayloadBytes.Record(123456);
        metrics.S3Failures.Add(1);
        metrics.KafkaFailures.Add(1);
        metrics.SetLastSuccessfulRun(At);
        metrics.SetDiscovery(2, new Dictionary<string, int> { ["listener_mismatch"] = 1 }, 1);
        metrics.SetLastDelivered(ClusterId.Parse("c1"), At);
        metrics.SetPodResources(ClusterId.Parse("c1"), new Dictionary<PodResourceFamily, PodResourceSource>
        {
            [PodResourceFamily.Requests] = PodResourceSource.Recorded,
            [PodResourceFamily.Limits] = PodResourceSource.Missing,
        });
        metrics.SnapshotsConfirmed.Add(1);
        metrics.Reannouncements.Add(1, Tag("result", "success"));
        metrics.SetConfirmation([(ClusterId.Parse("c1"), "never_recorded", At)], ["awaiting", "never_recorded"]);
    }

    private static List<string> TypeLines(string text) =>
        [.. text.Split('\n').Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal))];
}

/// <summary>Runs <c>promtool check metrics</c> (Prometheus's linter) on an exposition.</summary>
internal static class Promtool
{
    public static async Task<(int ExitCode, string Output)> CheckMetricsAsync(string exposition, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("promtool", "check metrics")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("promtool did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardInput.WriteAsync(exposition.AsMemory(), cancellationToken);
        process.StandardInput.Close();
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, (await stdout) + (await stderr));
    }
}
