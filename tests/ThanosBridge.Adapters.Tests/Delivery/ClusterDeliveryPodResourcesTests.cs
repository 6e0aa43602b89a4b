using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using ThanosBridge.Adapters.Ledger;
using ThanosBridge.Adapters.OutputDirectory;
using ThanosBridge.Core.Collection;
using ThanosBridge.Core.Collection.Catalog;
using ThanosBridge.Core.Collection.Prometheus;
using ThanosBridge.Core.Delivery;
using ThanosBridge.Core.Discovery;
using ThanosBridge.Core.Metrics;
using ThanosBridge.TestSupport.Fakes;

namespace ThanosBridge.Adapters.Tests.Delivery;

/// <summary>A delivered cluster-day says which series its per-pod requests and limits were read from: log 2002 and the gauge.</summary>
public sealed class ClusterDeliveryPodResourcesTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 1, 0, 0, TimeSpan.Zero);
    private static readonly ClusterId Cluster = ClusterId.Parse("sno-1");

    private readonly string directory = Directory.CreateTempSubdirectory("pod-resources-tests-").FullName;
    private readonly ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeLogger<ClusterDelivery> log = new();

    public void Dispose()
    {
        services.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    /// <summary>
    /// Node data, the pod resource probe's sample counts (recorded requests only), and pod series for the usage and label
    /// queries and for the request queries only where they read the recorded name.
    /// </summary>
    private sealed class RecordedRequestsOnly : IQueryExecutor
    {
        public Task ExecuteAsync(ClusterId cluster, QueryDefinition query, string expression, QueryRange range, ISeriesSink sink, CancellationToken cancellationToken)
        {
            sink.Restart();
            List<Sample> points = [];
            for (var t = range.Start; t <= range.End; t += range.Step)
            {
                points.Add(new Sample(t.ToUnixTimeMilliseconds(), 4));
            }

            if (query.Set == QuerySet.Node)
            {
                sink.Add(new Series(LabelSet.Of(("node", "n1"), ("provider_id", "aws:///i-1")), points));
            }
            else if (query.Set == QuerySet.Pod && (!expression.Contains("kube_pod_container_resource_", StringComparison.Ordinal)
                || expression.Contains("thanos_bridge:kube_pod_container_resource_requests:max{", StringComparison.Ordinal)))
            {
                // Usage and labels, and the requests only where they are read under the recorded name.
                sink.Add(new Series(LabelSet.Of(("pod", "p1"), ("namespace", "ns"), ("node", "n1")), points));
            }
            else if (query.Name == PodResourceSupply.ProbeName)
            {
                sink.Add(new Series(LabelSet.Of(("family", "requests"), ("source", "recorded")), [new Sample(range.End.ToUnixTimeMilliseconds(), 288)]));
            }

            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task RunAsync_LogsAndExportsTheSourceOfEachFamily()
    {
        var ct = TestContext.Current.CancellationToken;
        var ledger = DatabaseLedger.ForSqlite(directory, TimeProvider.System);
        await using var _ = ledger;
        await ledger.InitializeAsync(ct);
        var factory = services.GetRequiredService<IMeterFactory>();
        var metrics = new BridgeMetrics(factory, "test");
        var output = Path.Combine(directory, "out");
        var delivery = new ClusterDelivery(
            new RecordedRequestsOnly(), ledger, new OutputDirectoryPayloadStore(output, NullLogger<OutputDirectoryPayloadStore>.Instance),
            new OutputDirectoryAnnouncer(output, NullLogger<OutputDirectoryAnnouncer>.Instance),
            new DeliveryOptions { BackfillDays = 0, Step = TimeSpan.FromSeconds(300) }, new FakeTimeProvider(Now), metrics, log);

        var outcome = await delivery.RunAsync(Cluster, [new DiscoveredCluster(Cluster, "1234567")], Now, new DateOnly(2026, 11, 20), ct);

        outcome.Result.ShouldBe(ClusterResult.Delivered);
        var source = log.Collector.GetSnapshot().Where(e => e.Id.Id == 2002).ShouldHaveSingleItem();
        source.Message.ShouldBe("cluster sno-1 reads per-pod requests from recorded series and limits from missing series " +
            "(raw: kube_pod_container_resource_*, recorded: thanos_bridge:kube_pod_container_resource_*:max, missing: neither on the hub)");
        log.Collector.GetSnapshot().Where(e => e.Id.Id == 2001).ShouldHaveSingleItem().Message
            .ShouldContain("has pods but no per-pod series for pod_limit_cpu_core_seconds, pod_limit_memory_byte_seconds:");
        Gauge(factory).ShouldBe(
        [
            "sno-1 limits missing 1", "sno-1 limits raw 0", "sno-1 limits recorded 0",
            "sno-1 requests missing 0", "sno-1 requests raw 0", "sno-1 requests recorded 1",
        ]);
    }

    /// <summary>The pod resource gauge as "cluster family source value", read through a listener on this test's meter factory only.</summary>
    private static List<string> Gauge(IMeterFactory factory)
    {
        var values = new List<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Name == "pod_resources_source")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, value, tags, _) =>
        {
            var labels = tags.ToArray().ToDictionary(t => t.Key, t => (string)t.Value!);
            values.Add($"{labels["cluster_id"]} {labels["family"]} {labels["source"]} {value}");
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return [.. values.Order(StringComparer.Ordinal)];
    }
}
