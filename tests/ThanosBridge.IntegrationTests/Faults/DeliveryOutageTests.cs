using ThanosBridge.TestSupport.Bridge;

namespace ThanosBridge.IntegrationTests.Faults;

/// <summary>
/// `once` as a process with S3 or Kafka unreachable, and after a crash between the broker's acknowledgement and the
/// ledger write: the ledger keeps what was done, and the next run finishes each snapshot under its own uuid, so koku
/// never sees a day's data under two uuids.
/// </summary>
public class DeliveryOutageTests
{
    [Fact]
    public async Task Once_S3Unreachable_FailsEveryClusterAtUpload_AndNextRunUploadsAndAnnouncesTheSamePackagedSnapshots()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await KokuTestDatabase.CreateAsync(ct);
        var env = FaultRun.Environment(db, thanos: null, out var token);
        var ids = FaultRun.Ids;
        var prefix = env["THANOS_BRIDGE_S3_PREFIX"];
        BridgeRun run1;
        using (FaultRun.ClosedPort(out var port))
        {
            var down = new Dictionary<string, string>(env) { ["S3_ENDPOINT"] = $"http://127.0.0.1:{port}" };
            run1 = await FaultRun.OnceAsync(down, ct);
        }

        run1.ExitCode.ShouldBe(1, run1.ToString());
        FaultRun.AssertNoSecrets(run1, token);
        foreach (var id in ids.Values)
        {
            FaultRun.SummaryLine(run1, id).ShouldStartWith($"cluster {id}: FAILED: ", Case.Sensitive, run1.ToString());
            FaultRun.SummaryLine(run1, id).ShouldContain("upload", Case.Sensitive, run1.ToString());
        }

        (await AnnouncementLog.ReadAsync(prefix, ct)).ShouldBeEmpty("nothing can be announced before it is uploaded");
        var packaged = await FaultRun.SnapshotsAsync(db, ct);
        packaged.Select(s => s.Cluster).Order().ShouldBe(ids.Values.Order(), "one packaged snapshot per cluster");
        packaged.ShouldAllBe(s => s.State == "packaged" && s.Attempts == 1 && s.LastError != null);

        var run2 = await FaultRun.OnceAsync(env, ct);

        run2.ExitCode.ShouldBe(0, run2.ToString());
        var announced = await AnnouncementLog.ReadAsync(prefix, ct);
        announced.Select(a => a.Key).Order().ShouldBe(ids.Values.Order(), "exactly one announcement per cluster");
        foreach (var message in announced)
        {
            var manifest = await FaultRun.AssertDeliverableAsync(message, message.Key, ct);
            Guid.Parse(manifest.Uuid!).ShouldBe(packaged.Single(s => s.Cluster == message.Key).Uuid, "the snapshot packaged in run 1, not a new collection");
            FaultRun.SummaryLine(run2, message.Key).ShouldBe($"cluster {message.Key}: delivered", run2.ToString());
        }

        var published = await FaultRun.SnapshotsAsync(db, ct);
        published.Select(s => s.Uuid).Order().ShouldBe(packaged.Select(s => s.Uuid).Order(), "no snapshot under a new uuid");
        published.ShouldAllBe(s => s.State == "published");
    }

    [Fact]
    public async Task Once_KafkaUnreachable_FailsEveryClusterAtAnnounce_AndNextRunAnnouncesTheUploadedSnapshotsOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await KokuTestDatabase.CreateAsync(ct);
        var env = FaultRun.Environment(db, thanos: null, out var token);
        var ids = FaultRun.Ids;
        var prefix = env["THANOS_BRIDGE_S3_PREFIX"];
        BridgeRun run1;
        using (FaultRun.ClosedPort(out var port))
        {
            // Bounded by the announcer's delivery timeout (30 s): the clusters wait for it in parallel, not in turn (in turn
            // would take 90 s or more). The rest of the bound is start-up and collection on a loaded CI machine.
            var down = new Dictionary<string, string>(env) { ["KAFKA_BOOTSTRAP_SERVERS"] = $"127.0.0.1:{port}" };
            run1 = await FaultRun.OnceAsync(down, ct, bound: TimeSpan.FromSeconds(75));
        }

        run1.ExitCode.ShouldBe(1, run1.ToString());
        FaultRun.AssertNoSecrets(run1, token);
        foreach (var id in ids.Values)
        {
            FaultRun.SummaryLine(run1, id).ShouldStartWith($"cluster {id}: FAILED: announcement ", Case.Sensitive, run1.ToString());
            FaultRun.SummaryLine(run1, id).ShouldContain("was not persisted", Case.Sensitive, run1.ToString());
        }

        var uploaded = await FaultRun.SnapshotsAsync(db, ct);
        uploaded.Select(s => s.Cluster).Order().ShouldBe(ids.Values.Order(), "one uploaded snapshot per cluster");
        uploaded.ShouldAllBe(s => s.State == "uploaded" && s.Attempts == 1 && s.LastError != null);

        var run2 = await FaultRun.OnceAsync(env, ct);

        run2.ExitCode.ShouldBe(0, run2.ToString());
        var announced = await AnnouncementLog.ReadAsync(prefix, ct);
        announced.Select(a => a.Key).Order().ShouldBe(ids.Values.Order(), "exactly one announcement per snapshot");
        announced.Select(a => a.RequestId).Order().ShouldBe(uploaded.Select(s => s.Uuid.ToString("N")).Order(), "the uuids uploaded in run 1");
        foreach (var message in announced)
        {
            await FaultRun.AssertDeliverableAsync(message, message.Key, ct);
            FaultRun.SummaryLine(run2, message.Key).ShouldBe($"cluster {message.Key}: delivered", run2.ToString());
        }

        var published = await FaultRun.SnapshotsAsync(db, ct);
        published.Select(s => s.Uuid).Order().ShouldBe(uploaded.Select(s => s.Uuid).Order(), "no snapshot under a new uuid");
        published.ShouldAllBe(s => s.State == "published");
    }

    [Fact]
    public async Task Once_CrashBetweenBrokerAckAndLedgerWrite_ReannouncesTheSameUuid_AndNoNewUuidForTheDay()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await KokuTestDatabase.CreateAsync(ct);
        var env = FaultRun.Environment(db, thanos: null, out _);
        var ids = FaultRun.Ids;
        var beta = ids["beta"];
        var prefix = env["THANOS_BRIDGE_S3_PREFIX"];
        var run1 = await FaultRun.OnceAsync(env, ct);
        run1.ExitCode.ShouldBe(0, run1.ToString());
        var announced1 = await AnnouncementLog.ReadAsync(prefix, ct);
        announced1.Select(a => a.Key).Order().ShouldBe(ids.Values.Order());
        var snapshots1 = await FaultRun.SnapshotsAsync(db, ct);
        var betaSnapshot = snapshots1.Single(s => s.Cluster == beta);

        // The process died after the broker acknowledged beta's announcement, before the ledger recorded it published.
        (await db.QueryAsync(
            $"UPDATE thanos_bridge.snapshots SET state = 'uploaded', published_at = NULL WHERE uuid = '{betaSnapshot.Uuid}' RETURNING uuid",
            r => r.GetGuid(0), ct)).ShouldHaveSingleItem();

        var run2 = await FaultRun.OnceAsync(env, ct);

        run2.ExitCode.ShouldBe(0, run2.ToString());
        FaultRun.SummaryLine(run2, beta).ShouldBe($"cluster {beta}: delivered", run2.ToString());
        run2.Stdout.ShouldContain($"uuid {betaSnapshot.Uuid}", Case.Sensitive, run2.ToString());
        var announced2 = await AnnouncementLog.ReadAsync(prefix, ct);
        var again = announced2.Except(announced1).ShouldHaveSingleItem("only beta's unconfirmed announcement is sent again");
        again.Key.ShouldBe(beta);
        // At least once under one uuid: koku skips a manifest uuid it has already processed.
        again.RequestId.ShouldBe(betaSnapshot.Uuid.ToString("N"));
        announced2.Where(a => a.Key == beta).Select(a => a.RequestId).Distinct().ShouldHaveSingleItem("no new uuid for beta's day");
        await FaultRun.AssertDeliverableAsync(again, beta, ct);

        var snapshots2 = await FaultRun.SnapshotsAsync(db, ct);
        snapshots2.Select(s => s.Uuid).Order().ShouldBe(snapshots1.Select(s => s.Uuid).Order(), "no snapshot under a new uuid");
        snapshots2.ShouldAllBe(s => s.State == "published");
    }
}
