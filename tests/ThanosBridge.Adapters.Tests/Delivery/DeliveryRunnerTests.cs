using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using ThanosBridge.Adapters.Koku;
using ThanosBridge.Adapters.Ledger;
using ThanosBridge.Adapters.OutputDirectory;
using ThanosBridge.Core.Collection;
using ThanosBridge.Core.Collection.Catalog;
using ThanosBridge.Core.Collection.Prometheus;
using ThanosBridge.Core.Confirmation;
using ThanosBridge.Core.Delivery;
using ThanosBridge.Core.Discovery;
using ThanosBridge.Core.Ledger;
using ThanosBridge.Core.Metrics;
using ThanosBridge.TestSupport.Fakes;

namespace ThanosBridge.Adapters.Tests.Delivery;

/// <summary>
/// The run's order: the clusters' deliveries start first (their ledger read, then their queries); what only the metrics
/// and the summary need (the cluster label values in Thanos, the freshness from the ledger) is read after that, and a
/// failure there stops nothing.
/// </summary>
public sealed class DeliveryRunnerTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 1, 0, 0, TimeSpan.Zero);

    private readonly string directory = Directory.CreateTempSubdirectory("runner-tests-").FullName;
    private readonly ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly HeldQueries thanos = new();
    private readonly FakeLogger<DeliveryRunner> log = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        services.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task RunAsync_ReadsLabelValuesAndFreshness_AfterTheDeliveriesStarted()
    {
        await using var ledger = await SqliteLedgerAsync();
        var observed = new ObservedLedger(ledger, failFreshness: false);
        var runner = Runner(observed, _ =>
        {
            observed.Calls.Enqueue("label values");
            return Task.FromResult<IReadOnlyList<string>>(["c1", "not-in-koku"]);
        });

        var summary = await RunAnsweringEmptyAsync(runner);

        observed.Calls.ShouldBe(["days c1", "label values", "freshness"]);
        thanos.Sent.ShouldBeGreaterThan(0);
        summary.Unregistered.ShouldBe(["not-in-koku"]);
        summary.Clusters.Single().ClusterId.Value.ShouldBe("c1");
        summary.Error.ShouldBeNull();
    }

    [Fact]
    public async Task RunAsync_FreshnessReadFails_DeliversAndLogsTheCause()
    {
        await using var ledger = await SqliteLedgerAsync();
        var runner = Runner(new ObservedLedger(ledger, failFreshness: true), _ => Task.FromResult<IReadOnlyList<string>>(["c1"]));

        var summary = await RunAnsweringEmptyAsync(runner);

        summary.Error.ShouldBeNull();
        summary.Clusters.Single().Result.ShouldNotBe(ClusterResult.Failed);
        thanos.Sent.ShouldBeGreaterThan(0);
        var warning = log.Collector.GetSnapshot().Single(r => r.Id.Id == 1106);
        warning.Message.ShouldContain("ledger unreadable for this test");
        warning.Message.ShouldContain("delivery continues");
    }

    private async Task<DatabaseLedger> SqliteLedgerAsync()
    {
        var ledger = DatabaseLedger.ForSqlite(directory, TimeProvider.System);
        await ledger.InitializeAsync(Ct);
        return ledger;
    }

    private DeliveryRunner Runner(ILedger ledger, Func<CancellationToken, Task<IReadOnlyList<string>>> clustersInThanos)
    {
        var time = new FakeTimeProvider(Now);
        var options = new DeliveryOptions { BackfillDays = 1, Step = TimeSpan.FromSeconds(300), MaxParallelQueries = 2 };
        var metrics = new BridgeMetrics(services.GetRequiredService<IMeterFactory>(), "test");
        var output = Path.Combine(directory, "out");
        var delivery = new ClusterDelivery(
            thanos, ledger, new OutputDirectoryPayloadStore(output, NullLogger<OutputDirectoryPayloadStore>.Instance),
            new OutputDirectoryAnnouncer(output, NullLogger<OutputDirectoryAnnouncer>.Instance), options, time, metrics, NullLogger<ClusterDelivery>.Instance);
        var source = new EnvironmentClusterSource([new DiscoveredCluster(ClusterId.Parse("c1"), "1234567")], NullLogger<EnvironmentClusterSource>.Instance);
        return new DeliveryRunner(source, clustersInThanos, delivery, ledger, options, time, metrics, log);
    }

    /// <summary>Runs and answers every query with no series (no node data: nothing to send) as it arrives.</summary>
    private async Task<RunSummary> RunAnsweringEmptyAsync(DeliveryRunner runner)
    {
        var run = runner.RunAsync(Now, null, null, Ct);
        while (!run.IsCompleted)
        {
            var next = thanos.Pending.Reader.ReadAsync(Ct).AsTask();
            if (await Task.WhenAny(run, next) == next)
            {
                HeldQueries.Answer(await next);
            }
        }

        return await run;
    }

    /// <summary>Holds every query until the test answers it.</summary>
    private sealed class HeldQueries : IQueryExecutor
    {
        private int sent;

        public Channel<TaskCompletionSource> Pending { get; } = Channel.CreateUnbounded<TaskCompletionSource>();

        public int Sent => Volatile.Read(ref sent);

        public Task ExecuteAsync(ClusterId cluster, QueryDefinition query, string expression, QueryRange range, ISeriesSink sink, CancellationToken cancellationToken)
        {
            sink.Restart();
            Interlocked.Increment(ref sent);
            var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Pending.Writer.TryWrite(answered);
            return answered.Task;
        }

        public static void Answer(TaskCompletionSource query) => query.SetResult();
    }

    /// <summary>The real ledger, noting the reads of the days and of the freshness in order, or failing the latter.</summary>
    private sealed class ObservedLedger(ILedger inner, bool failFreshness) : ILedger
    {
        public ConcurrentQueue<string> Calls { get; } = new();

        public Task InitializeAsync(CancellationToken cancellationToken) => inner.InitializeAsync(cancellationToken);

        public Task<IReadOnlyList<ClusterDayState>> GetDaysAsync(ClusterId cluster, DateOnly fromDay, CancellationToken cancellationToken)
        {
            Calls.Enqueue("days " + cluster);
            return inner.GetDaysAsync(cluster, fromDay, cancellationToken);
        }

        public Task<ClusterDayState?> GetDayAsync(ClusterId cluster, DateOnly day, CancellationToken cancellationToken) =>
            inner.GetDayAsync(cluster, day, cancellationToken);

        public Task AddPackagedAsync(SnapshotRecord snapshot, CancellationToken cancellationToken) => inner.AddPackagedAsync(snapshot, cancellationToken);

        public Task MarkAsync(ClusterId cluster, DateOnly day, Guid uuid, SnapshotState state, CancellationToken cancellationToken) =>
            inner.MarkAsync(cluster, day, uuid, state, cancellationToken);

        public Task RecordFailureAsync(ClusterId cluster, DateOnly day, Guid? uuid, string message, CancellationToken cancellationToken) =>
            inner.RecordFailureAsync(cluster, day, uuid, message, cancellationToken);

        public Task<IReadOnlyDictionary<ClusterId, DateTimeOffset>> GetLastDeliveredAsync(CancellationToken cancellationToken)
        {
            Calls.Enqueue("freshness");
            return failFreshness
                ? Task.FromException<IReadOnlyDictionary<ClusterId, DateTimeOffset>>(new IOException("ledger unreadable for this test"))
                : inner.GetLastDeliveredAsync(cancellationToken);
        }

        public Task<IReadOnlyList<PublishedSnapshot>> GetPublishedAsync(DateOnly fromDay, bool includeFinal, CancellationToken cancellationToken) =>
            inner.GetPublishedAsync(fromDay, includeFinal, cancellationToken);

        public Task RecordKokuStatusesAsync(IReadOnlyList<KokuStatusUpdate> updates, CancellationToken cancellationToken) =>
            inner.RecordKokuStatusesAsync(updates, cancellationToken);

        public Task RecordReannouncedAsync(ClusterId cluster, DateOnly day, Guid uuid, CancellationToken cancellationToken) =>
            inner.RecordReannouncedAsync(cluster, day, uuid, cancellationToken);
    }
}
