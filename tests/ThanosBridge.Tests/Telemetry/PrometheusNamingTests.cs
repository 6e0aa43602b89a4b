using System.Diagnostics.Metrics;
using ThanosBridge.Telemetry;

namespace ThanosBridge.Tests.Telemetry;

public sealed class PrometheusNamingTests : IDisposable
{
    private readonly Meter meter = new("ThanosBridge.NamingTests");

    public void Dispose() => meter.Dispose();

    [Fact]
    public void MetricName_EachInstrumentKindAndUnit_FollowsTheConvention()
    {
        PrometheusNaming.MetricName(meter.CreateCounter<long>("runs", "{run}")).ShouldBe("thanos_bridge_runs_total");
        PrometheusNaming.MetricName(meter.CreateCounter<double>("busy", "s")).ShouldBe("thanos_bridge_busy_seconds_total");
        PrometheusNaming.MetricName(meter.CreateObservableCounter("sent", () => 1L, "By")).ShouldBe("thanos_bridge_sent_bytes_total");
        PrometheusNaming.MetricName(meter.CreateCounter<long>("retries_total")).ShouldBe("thanos_bridge_retries_total");
        PrometheusNaming.MetricName(meter.CreateHistogram<double>("run_duration", "s")).ShouldBe("thanos_bridge_run_duration_seconds");
        PrometheusNaming.MetricName(meter.CreateHistogram<long>("payload_size", "By")).ShouldBe("thanos_bridge_payload_size_bytes");
        PrometheusNaming.MetricName(meter.CreateHistogram<double>("lag_seconds", "s")).ShouldBe("thanos_bridge_lag_seconds");
        PrometheusNaming.MetricName(meter.CreateObservableGauge("last_run", () => 1L, "s", "Unix time of the last run.")).ShouldBe("thanos_bridge_last_run_timestamp_seconds");
        PrometheusNaming.MetricName(meter.CreateObservableGauge("age", () => 1L, "s", "How old.")).ShouldBe("thanos_bridge_age_seconds");
        PrometheusNaming.MetricName(meter.CreateUpDownCounter<int>("in.flight", "{request}")).ShouldBe("thanos_bridge_in_flight");
        PrometheusNaming.MetricName(meter.CreateGauge<int>("queue-depth")).ShouldBe("thanos_bridge_queue_depth");
    }

    [Fact]
    public void KindOf_EachInstrumentType_MapsToPrometheusType()
    {
        PrometheusNaming.KindOf(meter.CreateCounter<long>("a")).ShouldBe(MetricKind.Counter);
        PrometheusNaming.KindOf(meter.CreateObservableCounter("b", () => 1)).ShouldBe(MetricKind.Counter);
        PrometheusNaming.KindOf(meter.CreateHistogram<double>("c")).ShouldBe(MetricKind.Histogram);
        PrometheusNaming.KindOf(meter.CreateUpDownCounter<long>("d")).ShouldBe(MetricKind.Gauge);
        PrometheusNaming.KindOf(meter.CreateObservableUpDownCounter("e", () => 1)).ShouldBe(MetricKind.Gauge);
        PrometheusNaming.KindOf(meter.CreateObservableGauge("f", () => 1)).ShouldBe(MetricKind.Gauge);
        PrometheusNaming.KindOf(meter.CreateGauge<double>("g")).ShouldBe(MetricKind.Gauge);
    }

    [Fact]
    public void BucketsOf_AdviceOrUnit_PicksTheBounds()
    {
        PrometheusNaming.BucketsOf(meter.CreateHistogram<double>("d", "s")).ShouldBe(PrometheusNaming.DurationBuckets);
        PrometheusNaming.BucketsOf(meter.CreateHistogram<long>("s", "By")).ShouldBe(PrometheusNaming.SizeBuckets);
        PrometheusNaming.BucketsOf(meter.CreateHistogram<double>("o", "{row}")).ShouldBe(PrometheusNaming.DefaultBuckets);
        PrometheusNaming.BucketsOf(meter.CreateHistogram("a", "s", null, null, new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2] }))
            .ShouldBe([1.0, 2.0]);
        PrometheusNaming.SizeBuckets[0].ShouldBe(1024);
        PrometheusNaming.SizeBuckets[^1].ShouldBe(256 * 1024 * 1024);
        PrometheusNaming.DurationBuckets[0].ShouldBe(0.05);
        PrometheusNaming.DurationBuckets[^1].ShouldBe(600);
    }

    [Theory]
    [InlineData("cluster_id", "cluster_id")]
    [InlineData("cluster.id", "cluster_id")]
    [InlineData("9lives", "_9lives")]
    [InlineData("", "_")]
    public void Sanitize_Name_KeepsOnlyNameCharacters(string name, string expected) =>
        PrometheusNaming.Sanitize(name).ShouldBe(expected);
}
