using System.Diagnostics.Metrics;
using System.Globalization;
using Amazon.S3;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Npgsql;
using ThanosBridge.Configuration;
using ThanosBridge.Core.Delivery;
using ThanosBridge.Core.Ledger;
using ThanosBridge.Core.Metrics;
using ThanosBridge.Hosting;
using ThanosBridge.IntegrationTests.Faults;
using ThanosBridge.KokuListener;
using ThanosBridge.TestSupport;
using ThanosBridge.TestSupport.Bridge;
using ThanosBridge.TestSupport.Fakes;

namespace ThanosBridge.IntegrationTests.Confirmation;

/// <summary>
/// The bridge's composition root on the local stack (a fresh koku database, the stack's Thanos stand-in, S3 server and
/// Kafka broker) with a fake clock, and koku's listener played by <see cref="KokuListenerStandIn"/> on the same koku
/// tables. Runs are in-process, so the threshold is crossed by advancing the clock, never by waiting.
/// </summary>
internal sealed class ConfirmationHarness : IAsyncDisposable
{
    public static readonly TimeSpan Threshold = TimeSpan.FromMinutes(60);
    public const int MaxReannouncements = 2;

    private readonly NpgsqlDataSource koku;
    private readonly HttpClient http = new();
    private readonly MeterListener meters = new();
    private readonly List<(string Name, long Value, Dictionary<string, string?> Labels)> measured = [];
    private List<(string Name, long Value, Dictionary<string, string?> Labels)>? observed;

    private ConfirmationHarness(KokuTestDatabase db, ServiceProvider services, FakeTimeProvider time, string prefix, DateTimeOffset runAt)
    {
        Db = db;
        Services = services;
        Time = time;
        Prefix = prefix;
        RunAt = runAt;
        koku = NpgsqlDataSource.Create(db.ConnectionString);
        var factory = services.GetRequiredService<IMeterFactory>();
        meters.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Name == BridgeMetrics.MeterName && ReferenceEquals(i.Meter.Scope, factory))
            {
                l.EnableMeasurementEvents(i);
            }
        };
        meters.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        meters.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        meters.Start();
        Listener = new KokuListenerStandIn(StackEnvironment.Current.KafkaBootstrapServers, "hccm-group-" + db.Name, koku, http, prefix + "/");
        S3 = Stack.StackS3.Client();
    }

    public KokuTestDatabase Db { get; }

    public ServiceProvider Services { get; }

    public FakeTimeProvider Time { get; }

    /// <summary>This test's object key prefix: its announcements are the ones whose URL contains it.</summary>
    public string Prefix { get; }

    /// <summary>The planning time of every run: 20 minutes after the demo data ends, so the first run delivers the day and the others find nothing new.</summary>
    public DateTimeOffset RunAt { get; }

    public KokuListenerStandIn Listener { get; }

    public AmazonS3Client S3 { get; }

    public FakeLogCollector Logs => Services.GetFakeLogCollector();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<ConfirmationHarness> CreateAsync()
    {
        var db = await KokuTestDatabase.CreateAsync(Ct);
        var env = BridgeProcess.StackEnvironmentFor(db).ToDictionary(kv => kv.Key, kv => (string?)kv.Value);
        env["THANOS_BRIDGE_BACKFILL_DAYS"] = "0";
        env["THANOS_BRIDGE_CONFIRMATION_THRESHOLD_MINUTES"] = ((int)Threshold.TotalMinutes).ToString(CultureInfo.InvariantCulture);
        env["THANOS_BRIDGE_MAX_REANNOUNCEMENTS"] = MaxReannouncements.ToString(CultureInfo.InvariantCulture);
        var settings = BridgeSettingsLoader.Load(env);
        var runAt = DateTimeOffset.Parse(FaultRun.Now, CultureInfo.InvariantCulture);
        var time = new FakeTimeProvider(runAt);
        var services = new ServiceCollection()
            .AddLogging(b => b.AddFakeLogging().SetMinimumLevel(LogLevel.Debug))
            .AddSingleton<TimeProvider>(time)
            .AddBridgeDelivery(settings)
            .BuildServiceProvider();
        await services.GetRequiredService<ILedger>().InitializeAsync(Ct);
        return new ConfirmationHarness(db, services, time, env["THANOS_BRIDGE_S3_PREFIX"]!, runAt);
    }

    /// <summary>One delivery run (the confirmation check first, then the deliveries), as <c>serve</c> and <c>once</c> run it.</summary>
    public Task<RunSummary> RunAsync() => Services.GetRequiredService<DeliveryRunner>().RunAsync(RunAt, null, null, Ct);

    /// <summary>koku's listener reads everything announced so far; <paramref name="action"/> decides per cluster id what koku does after downloading.</summary>
    public Task<IReadOnlyList<ListenerOutcome>> ListenAsync(Func<string, ListenerAction> action) => Listener.ProcessAvailableAsync(action, Ct);

    /// <summary>The announcements of this test on the broker, per cluster id.</summary>
    public async Task<List<Announced>> AnnouncementsAsync(string clusterId) =>
        [.. (await AnnouncementLog.ReadAsync(Prefix, Ct)).Where(a => a.Key == clusterId)];

    /// <summary>The ledger's confirmation columns of the snapshot <paramref name="uuid"/>.</summary>
    public async Task<(string? Status, int Reannouncements, bool HasCompletedAt, DateTimeOffset AnnouncedAt)> LedgerAsync(Guid uuid) =>
        (await Db.QueryAsync(
            $"SELECT koku_status, reannouncements, koku_completed_at IS NOT NULL, announced_at FROM thanos_bridge.snapshots WHERE uuid = '{uuid}'",
            r => (r.IsDBNull(0) ? null : r.GetString(0), r.GetInt32(1), r.GetBoolean(2), new DateTimeOffset(r.GetDateTime(3), TimeSpan.Zero)), Ct)).Single();

    /// <summary>koku's status rows of the manifest <paramref name="uuid"/>: (report_name, status).</summary>
    public Task<List<(string File, int Status)>> StatusRowsAsync(Guid uuid) =>
        Db.QueryAsync(
            $"""
            SELECT s.report_name, s.status FROM public.reporting_common_costusagereportstatus s
            JOIN public.reporting_common_costusagereportmanifest m ON m.id = s.manifest_id WHERE m.assembly_id = '{uuid:D}' ORDER BY 1
            """,
            r => (r.GetString(0), r.GetInt32(1)), Ct);

    /// <summary>The sum of what a counter of this container counted since the harness started, for the given labels.</summary>
    public long Counted(string instrument, params (string Key, string Value)[] labels)
    {
        lock (measured)
        {
            return measured.Where(m => m.Name == instrument && labels.All(l => m.Labels.GetValueOrDefault(l.Key) == l.Value)).Sum(m => m.Value);
        }
    }

    /// <summary>What an observable gauge of this container reports now, with its labels.</summary>
    public List<(long Value, Dictionary<string, string?> Labels)> Observe(string instrument)
    {
        lock (measured)
        {
            observed = [];
        }

        meters.RecordObservableInstruments();
        lock (measured)
        {
            var found = observed!.Where(o => o.Name == instrument).Select(o => (o.Value, o.Labels)).ToList();
            observed = null;
            return found;
        }
    }

    public async ValueTask DisposeAsync()
    {
        meters.Dispose();
        await Services.DisposeAsync();
        await koku.DisposeAsync();
        http.Dispose();
        S3.Dispose();
        await Db.DisposeAsync();
    }

    private void Record(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var entry = (instrument.Name, value, Labels(tags));
        lock (measured)
        {
            if (instrument.IsObservable)
            {
                observed?.Add(entry);
            }
            else
            {
                measured.Add(entry);
            }
        }
    }

    private static Dictionary<string, string?> Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = new Dictionary<string, string?>();
        foreach (var tag in tags)
        {
            labels[tag.Key] = tag.Value?.ToString();
        }

        return labels;
    }
}
