using Amazon.S3.Model;
using ThanosBridge.Core.Confirmation;
using ThanosBridge.Core.Delivery;
using ThanosBridge.IntegrationTests.Faults;
using ThanosBridge.KokuListener;
using ThanosBridge.TestSupport;

namespace ThanosBridge.IntegrationTests.Confirmation;

/// <summary>
/// Delivery confirmation (issue 13) on the local stack: the bridge publishes the demo day of alpha, beta and gamma; koku's
/// listener stand-in downloads each announced URL with a plain GET and writes koku's manifest and status rows in a fresh
/// koku database; later runs read those rows. The download failure is real (the object is gone from S3, so the GET answers
/// 404), a lost message is one the listener commits without reading, and time passes on a fake clock.
/// </summary>
public sealed class DeliveryConfirmationTests
{
    private static readonly string Alpha = FaultRun.Id("alpha");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Run_KokuCompletedTheSnapshots_RecordsThemCompleted_AndNeverSendsThemAgain()
    {
        await using var h = await ConfirmationHarness.CreateAsync();
        var run1 = await h.RunAsync();
        run1.Succeeded.ShouldBeTrue();
        run1.Confirmation.Snapshots.ShouldBeEmpty("a snapshot is first checked by the run after the one that published it");
        var published = Published(run1);
        published.Count.ShouldBe(3);

        (await h.ListenAsync(_ => ListenerAction.Complete)).Select(o => o.Result).ShouldBe(["completed", "completed", "completed"], ignoreOrder: true);
        var run2 = await h.RunAsync();

        run2.Confirmation.Snapshots.Select(s => (s.Uuid, s.Status, s.Reannounced)).ShouldBe(
            published.Values.Select(u => (u, KokuStatus.Completed, false)), ignoreOrder: true);
        foreach (var uuid in published.Values)
        {
            var row = await h.LedgerAsync(uuid);
            row.Status.ShouldBe("completed");
            row.HasCompletedAt.ShouldBeTrue();
        }

        h.Counted("snapshots_confirmed").ShouldBe(3);
        h.Observe("snapshots_unconfirmed").ShouldBeEmpty("no cluster has an unconfirmed snapshot");
        h.Logs.GetSnapshot().Count(r => r.Id.Id == 5500).ShouldBe(3);

        h.Time.Advance(TimeSpan.FromDays(1));
        var run3 = await h.RunAsync();
        run3.Confirmation.Snapshots.ShouldBeEmpty("completed snapshots are final");
        (await h.AnnouncementsAsync(Alpha)).Count.ShouldBe(1, "a completed snapshot is never announced again");
    }

    [Fact]
    public async Task Run_DownloadFailed_ReannouncesTheSameUuidAfterTheThreshold_FromTheLedgersBytes_AndKokuCompletesIt()
    {
        await using var h = await ConfirmationHarness.CreateAsync();
        var run1 = await h.RunAsync();
        var uuid = Published(run1)[Alpha];
        var key = run1.Clusters.Single(c => c.ClusterId.Value == Alpha).Snapshots.Single().ObjectKeys.Single();

        // The fault: the object is gone before koku downloads it, so koku's GET gets a 404 and koku records nothing.
        await h.S3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = StackEnvironment.Current.S3Bucket, Key = key }, Ct);
        var first = await h.ListenAsync(_ => ListenerAction.Complete);
        first.Single(o => o.Key == Alpha).Result.ShouldBe("download_failed");
        first.Single(o => o.Key == Alpha).Detail.ShouldBe("HTTP 404");

        var run2 = await h.RunAsync();
        Status(run2, uuid).ShouldBe((KokuStatus.Awaiting, false), "within the threshold koku may still be busy");

        h.Time.Advance(ConfirmationHarness.Threshold);
        var run3 = await h.RunAsync();
        Status(run3, uuid).ShouldBe((KokuStatus.Awaiting, true));
        var announced = await h.AnnouncementsAsync(Alpha);
        announced.Count.ShouldBe(2);
        announced.Select(a => a.RequestId).Distinct().ShouldBe([uuid.ToString("N")], "the same uuid, so koku reuses its manifest (§1.8)");
        announced[1].Url.ShouldNotBe(announced[0].Url, "a fresh pre-signed URL");
        var fileLists = new List<string>();
        foreach (var a in announced)
        {
            // Both URLs download now: the re-announcement uploaded the object again from the ledger's bytes.
            var facts = await FaultRun.AssertDeliverableAsync(a, Alpha, Ct);
            Guid.Parse(facts.Uuid!).ShouldBe(uuid);
            fileLists.Add(string.Join(",", facts.Files!));
        }

        fileLists.Distinct().ShouldHaveSingleItem("the same file list, or koku's files-count guard would stop it (§7, gotcha 9)");

        var second = await h.ListenAsync(_ => ListenerAction.Complete);
        second.Single(o => o.Key == Alpha).Result.ShouldBe("completed");
        var run4 = await h.RunAsync();
        Status(run4, uuid).ShouldBe((KokuStatus.Completed, false));
        var row = await h.LedgerAsync(uuid);
        (row.Status, row.Reannouncements).ShouldBe(("completed", 1));
        h.Counted("snapshot_reannouncements", ("result", "success")).ShouldBe(1);
        h.Logs.GetSnapshot().Count(r => r.Id.Id == 5412).ShouldBe(1);
    }

    [Fact]
    public async Task Run_KokuNeverPicksTheSnapshotUp_ReannouncesUpToTheMaximum_ThenReportsItNeverRecorded()
    {
        await using var h = await ConfirmationHarness.CreateAsync();
        var uuid = Published(await h.RunAsync())[Alpha];
        Func<string, ListenerAction> lose = id => id == Alpha ? ListenerAction.Drop : ListenerAction.Complete;
        (await h.ListenAsync(lose)).Single(o => o.Key == Alpha).Result.ShouldBe("dropped");

        for (var i = 1; i <= ConfirmationHarness.MaxReannouncements; i++)
        {
            h.Time.Advance(ConfirmationHarness.Threshold);
            Status(await h.RunAsync(), uuid).ShouldBe((KokuStatus.Awaiting, true), $"re-announcement {i}");
            (await h.ListenAsync(lose)).Single(o => o.Key == Alpha).Result.ShouldBe("dropped");
        }

        h.Time.Advance(ConfirmationHarness.Threshold);
        var reported = await h.RunAsync();
        Status(reported, uuid).ShouldBe((KokuStatus.NeverRecorded, false));
        reported.Succeeded.ShouldBeTrue("a snapshot koku lost is reported, it does not fail delivery");
        h.Logs.GetSnapshot().Where(r => r.Id.Id == 5502).ShouldHaveSingleItem().Level.ShouldBe(Microsoft.Extensions.Logging.LogLevel.Error);
        var gauge = h.Observe("snapshots_unconfirmed").Where(g => g.Labels["cluster_id"] == Alpha).ToList();
        gauge.Single(g => g.Labels["status"] == "never_recorded").Value.ShouldBe(1);
        gauge.Where(g => g.Labels["status"] != "never_recorded").ShouldAllBe(g => g.Value == 0);
        h.Observe("unconfirmed_snapshot_oldest_published").Single(g => g.Labels["cluster_id"] == Alpha).Value
            .ShouldBe(h.RunAt.ToUnixTimeSeconds(), "published when the first run ran");

        h.Time.Advance(ConfirmationHarness.Threshold);
        Status(await h.RunAsync(), uuid).ShouldBe((KokuStatus.NeverRecorded, false));
        (await h.AnnouncementsAsync(Alpha)).Count.ShouldBe(1 + ConfirmationHarness.MaxReannouncements, "never more than the maximum");
        (await h.LedgerAsync(uuid)).ShouldBe(("never_recorded", ConfirmationHarness.MaxReannouncements, false,
            h.RunAt + (ConfirmationHarness.Threshold * ConfirmationHarness.MaxReannouncements)));
    }

    [Fact]
    public async Task Run_KokuFailedTheFiles_ReportsProcessingFailed_AndNeverSendsItAgain()
    {
        await using var h = await ConfirmationHarness.CreateAsync();
        var uuid = Published(await h.RunAsync())[Alpha];
        (await h.ListenAsync(id => id == Alpha ? ListenerAction.FailProcessing : ListenerAction.Complete))
            .Single(o => o.Key == Alpha).Result.ShouldBe("processing_failed");
        var files = await h.StatusRowsAsync(uuid);
        files.ShouldNotBeEmpty();
        files.ShouldAllBe(f => f.Status == 2);

        var run2 = await h.RunAsync();
        Status(run2, uuid).ShouldBe((KokuStatus.ProcessingFailed, false));
        h.Logs.GetSnapshot().Where(r => r.Id.Id == 5501).ShouldHaveSingleItem().Message.ShouldContain("processing_failed");

        for (var i = 0; i < ConfirmationHarness.MaxReannouncements + 1; i++)
        {
            h.Time.Advance(ConfirmationHarness.Threshold);
            Status(await h.RunAsync(), uuid).ShouldBe((KokuStatus.ProcessingFailed, false), "a failure koku recorded is never re-sent (§7, gotcha 18)");
        }

        (await h.AnnouncementsAsync(Alpha)).Count.ShouldBe(1);
        (await h.StatusRowsAsync(uuid)).ShouldBe(files, "koku's rows are untouched");
        (await h.LedgerAsync(uuid)).Status.ShouldBe("processing_failed");
        h.Observe("snapshots_unconfirmed").Single(g => g.Labels["cluster_id"] == Alpha && g.Labels["status"] == "processing_failed").Value.ShouldBe(1);
        h.Logs.GetSnapshot().Count(r => r.Id.Id == 5501).ShouldBe(1, "logged when found, not at every run");
    }

    [Fact]
    public async Task Run_KokuTablesUnreadable_LogsAndCountsTheFailedCheck_DeliveryGoesOn_AndTheNextCheckCatchesUp()
    {
        await using var h = await ConfirmationHarness.CreateAsync();
        var published = Published(await h.RunAsync());
        await h.ListenAsync(_ => ListenerAction.Complete);
        await h.Db.QueryAsync("ALTER TABLE public.reporting_common_costusagereportstatus RENAME TO status_away; SELECT 1", r => r.GetInt32(0), Ct);

        var failed = await h.RunAsync();

        failed.Succeeded.ShouldBeTrue("a failed check never fails the run");
        failed.Confirmation.Error.ShouldNotBeNull().ShouldContain("reporting_common_costusagereportstatus");
        failed.Confirmation.Snapshots.ShouldBeEmpty();
        h.Counted("confirmation_check_failures").ShouldBe(1);
        h.Logs.GetSnapshot().Where(r => r.Id.Id == 5503).ShouldHaveSingleItem().Level.ShouldBe(Microsoft.Extensions.Logging.LogLevel.Error);

        await h.Db.QueryAsync("ALTER TABLE public.status_away RENAME TO reporting_common_costusagereportstatus; SELECT 1", r => r.GetInt32(0), Ct);
        var next = await h.RunAsync();
        next.Confirmation.Snapshots.Select(s => (s.Uuid, s.Status)).ShouldBe(published.Values.Select(u => (u, KokuStatus.Completed)), ignoreOrder: true);
    }

    private static Dictionary<string, Guid> Published(RunSummary run) =>
        run.Clusters.SelectMany(c => c.Snapshots.Select(s => (c.ClusterId.Value, s.Uuid))).ToDictionary(x => x.Value, x => x.Uuid);

    private static (KokuStatus Status, bool Reannounced) Status(RunSummary run, Guid uuid)
    {
        var found = run.Confirmation.Snapshots.Single(s => s.Uuid == uuid);
        found.Error.ShouldBeNull();
        return (found.Status, found.Reannounced);
    }
}
