using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using ThanosBridge.Adapters.Kafka;
using ThanosBridge.TestSupport;
using ThanosBridge.TestSupport.Bridge;
using ThanosBridge.TestSupport.Koku;

namespace ThanosBridge.IntegrationTests.Faults;

/// <summary>
/// Shared steps of the fault tests: the demo clusters, a small run (the last demo day only, one snapshot per cluster),
/// the announcements of one test, their payloads, and the ledger.
/// </summary>
internal static class FaultRun
{
    public static readonly string[] Registered = ["alpha", "beta", "gamma"];

    private static readonly Pipeline.DemoExpectations Expect = Pipeline.DemoExpectations.Load();

    /// <summary>20 minutes after the demo data ends: the day's settled hours, nothing older with BACKFILL_DAYS=0.</summary>
    public static string Now =>
        DateTimeOffset.FromUnixTimeSeconds(long.Parse(StackEnvironment.Current["DEMO_DATA_END"], CultureInfo.InvariantCulture))
            .AddMinutes(20).ToString("O", CultureInfo.InvariantCulture);

    public static string Id(string name) => Expect.ClusterId(name);

    public static Dictionary<string, string> Ids => Registered.ToDictionary(n => n, Id);

    /// <summary>The stack's environment for <paramref name="db"/>, one day, and a bearer token that must never be printed.</summary>
    public static Dictionary<string, string> Environment(KokuTestDatabase db, FaultInjectingThanos? thanos, out string token)
    {
        var env = BridgeProcess.StackEnvironmentFor(db);
        env["THANOS_BRIDGE_BACKFILL_DAYS"] = "0";
        // One query at a time, so that the failed query, its attempts and the queries spared are exactly predictable; a
        // failure among parallel queries cancels the others (ReportCollectorTests).
        env["THANOS_BRIDGE_MAX_PARALLEL_QUERIES"] = "1";
        token = "fault-test-token-" + Guid.NewGuid().ToString("N");
        env["THANOS_QUERY_TOKEN"] = token;
        if (thanos is not null)
        {
            env["THANOS_QUERY_URL"] = thanos.Url.ToString();
        }

        return env;
    }

    /// <summary>
    /// Runs <c>once</c> and copies its output to the test's output, for diagnosis. The process is killed (and the test
    /// fails with a <see cref="TimeoutException"/>) when it outlives <paramref name="bound"/> (default 60 s).
    /// </summary>
    public static async Task<BridgeRun> OnceAsync(IReadOnlyDictionary<string, string> env, CancellationToken ct, TimeSpan? bound = null)
    {
        var started = TimeProvider.System.GetTimestamp();
        var run = await BridgeProcess.RunAsync(env, ["once", "--now", Now], ct, bound ?? TimeSpan.FromSeconds(60));
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"once took {TimeProvider.System.GetElapsedTime(started).TotalSeconds:F1} s, {run}");
        return run;
    }

    /// <summary>The summary line of one cluster, e.g. <c>cluster 3f0e…: FAILED: query … </c>.</summary>
    public static string SummaryLine(BridgeRun run, string clusterId)
    {
        var lines = run.Stdout.Split('\n').Where(l => l.StartsWith($"cluster {clusterId}: ", StringComparison.Ordinal)).ToList();
        lines.Count.ShouldBe(1, $"one summary line for cluster {clusterId}\n{run}");
        return lines[0].TrimEnd('\r');
    }

    /// <summary>
    /// Neither the bearer token (which the faulty Thanos echoes back in its error texts) nor the S3 secret key appears in
    /// the run's output or logs.
    /// </summary>
    public static void AssertNoSecrets(BridgeRun run, string token)
    {
        foreach (var (name, secret) in new[] { ("THANOS_QUERY_TOKEN", token), ("AWS_SECRET_ACCESS_KEY", StackEnvironment.Current["AWS_SECRET_ACCESS_KEY"]) })
        {
            run.Stdout.ShouldNotContain(secret, Case.Sensitive, $"{name} printed");
            run.Stderr.ShouldNotContain(secret, Case.Sensitive, $"{name} logged");
        }
    }

    /// <summary>A loopback port that refuses connections: bound, never listening, held until disposed.</summary>
    public static Socket ClosedPort(out int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        return socket;
    }

    /// <summary>Downloads an announced payload as koku does (plain GET of the pre-signed URL) and validates it.</summary>
    public static async Task<KokuManifestFacts> AssertDeliverableAsync(Announced message, string clusterId, CancellationToken ct)
    {
        message.Key.ShouldBe(clusterId);
        message.Service.ShouldBe("hccm");
        using var http = new HttpClient();
        var payload = await http.GetByteArrayAsync(new Uri(message.Url), ct);
        var manifest = KokuPayloadValidator.AssertValid(payload).Manifest!;
        manifest.ClusterId.ShouldBe(clusterId);
        message.RequestId.ShouldBe(Guid.Parse(manifest.Uuid!).ToString("N"));
        return manifest;
    }

    public static Task<List<LedgerSnapshot>> SnapshotsAsync(KokuTestDatabase db, CancellationToken ct) =>
        db.QueryAsync(
            "SELECT uuid, cluster_id, day::text, hours, state, attempts, last_error FROM thanos_bridge.snapshots ORDER BY cluster_id, day, hours",
            r => new LedgerSnapshot(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetString(4), r.GetInt32(5),
                r.IsDBNull(6) ? null : r.GetString(6)),
            ct);

    public static Task<List<LedgerDay>> DaysAsync(KokuTestDatabase db, CancellationToken ct) =>
        db.QueryAsync(
            "SELECT cluster_id, day::text, failed_attempts, last_error FROM thanos_bridge.cluster_days ORDER BY cluster_id, day",
            r => new LedgerDay(r.GetString(0), r.GetString(1), r.GetInt32(2), r.IsDBNull(3) ? null : r.GetString(3)),
            ct);
}

internal sealed record LedgerSnapshot(Guid Uuid, string Cluster, string Day, int Hours, string State, int Attempts, string? LastError);

internal sealed record LedgerDay(string Cluster, string Day, int FailedAttempts, string? LastError);

/// <summary>One message on platform.upload.announce.</summary>
internal sealed record Announced(string Key, string Service, string RequestId, string Url, string Raw);

/// <summary>
/// Reads platform.upload.announce exactly: every partition from its beginning up to the high watermark taken when the
/// read starts. Called after a run has exited, every announcement the run got acknowledged is below that mark, so the
/// counts are exact without waiting for a quiet period.
/// </summary>
internal static class AnnouncementLog
{
    private const string Topic = "platform.upload.announce";

    /// <summary>The announcements whose URL contains <paramref name="objectKeyPrefix"/> (one test's S3 prefix), in log order per partition.</summary>
    public static async Task<List<Announced>> ReadAsync(string objectKeyPrefix, CancellationToken ct)
    {
        BundledLibrdkafka.EnsureLoaded();
        var bootstrap = StackEnvironment.Current.KafkaBootstrapServers;
        List<TopicPartition> partitions;
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build())
        {
            var topic = admin.GetMetadata(Topic, TimeSpan.FromSeconds(10)).Topics.Single();
            partitions = [.. topic.Partitions.Select(p => new TopicPartition(Topic, p.PartitionId))];
        }

        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "faults-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        var remaining = new Dictionary<int, long>();
        foreach (var partition in partitions)
        {
            var marks = consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10));
            if (marks.High > marks.Low)
            {
                remaining[partition.Partition.Value] = marks.High.Value;
            }
        }

        consumer.Assign(partitions.Where(p => remaining.ContainsKey(p.Partition.Value)).Select(p => new TopicPartitionOffset(p, Offset.Beginning)));
        var found = new List<Announced>();
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(30);
        while (remaining.Count > 0)
        {
            ct.ThrowIfCancellationRequested();
            TimeProvider.System.GetUtcNow().ShouldBeLessThan(deadline, $"the announce topic was not read to its end; partitions left: {string.Join(", ", remaining.Keys)}");
            var result = await Task.Run(() => consumer.Consume(TimeSpan.FromMilliseconds(500)), ct);
            if (result?.Message is not { } message)
            {
                continue;
            }

            if (result.Offset.Value + 1 >= remaining.GetValueOrDefault(result.Partition.Value, long.MaxValue))
            {
                remaining.Remove(result.Partition.Value);
            }

            using var doc = JsonDocument.Parse(message.Value);
            var url = doc.RootElement.GetProperty("url").GetString() ?? "";
            if (!url.Contains(objectKeyPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var headers = message.Headers.Select(h => (h.Key, Encoding.ASCII.GetString(h.GetValueBytes()))).ToList();
            headers.Count.ShouldBe(1, "koku reads the first header that mentions 'service': send exactly one");
            found.Add(new Announced(message.Key, headers[0].Item2, doc.RootElement.GetProperty("request_id").GetString()!, url, message.Value));
        }

        consumer.Close();
        return found;
    }
}
