using ThanosBridge.Core.Collection.Catalog;
using ThanosBridge.TestSupport.Bridge;

namespace ThanosBridge.IntegrationTests.Faults;

/// <summary>
/// `once` as a process against the whole stack, with a fault-injecting Thanos front (<see cref="FaultInjectingThanos"/>)
/// between the bridge and the stack's Prometheus: a Thanos fault on one cluster fails that cluster alone, cleanly; the
/// others deliver; the next run delivers what was missed exactly once. Transient faults are retried within the run.
/// </summary>
public class ThanosFaultTests
{
    public static TheoryData<string> PersistentFaults => ["warnings", "503", "hang", "cut-body"];

    [Theory]
    [MemberData(nameof(PersistentFaults))]
    public async Task Once_PersistentThanosFaultOnOneCluster_FailsOnlyThatCluster_AndNextRunDeliversItExactlyOnce(string fault)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await KokuTestDatabase.CreateAsync(ct);
        await using var thanos = await FaultInjectingThanos.StartAsync(ct);
        var env = FaultRun.Environment(db, thanos, out var token);
        var ids = FaultRun.Ids;
        var beta = ids["beta"];
        var prefix = env["THANOS_BRIDGE_S3_PREFIX"];
        var (injected, attempts, reason) = fault switch
        {
            // A 200 with warnings is a partial answer: by default it fails the query, and is not retried.
            "warnings" => (ThanosFaults.Warnings(), 1, "response has warnings"),
            "503" => (ThanosFaults.ServiceUnavailable(), 4, "HTTP 503"),
            "hang" => (ThanosFaults.Hang(), 1, "timed out"),
            "cut-body" => (ThanosFaults.CutBody(), 4, "transport failure"),
            _ => throw new ArgumentOutOfRangeException(nameof(fault)),
        };
        if (fault == "hang")
        {
            // The shortest allowed timeout, one attempt: the hang costs 10 s.
            env["THANOS_BRIDGE_QUERY_TIMEOUT"] = "10";
            env["THANOS_BRIDGE_QUERY_RETRIES"] = "0";
        }

        thanos.Inject(beta, injected);
        var run1 = await FaultRun.OnceAsync(env, ct);

        run1.ExitCode.ShouldBe(1, run1.ToString());
        // Collection stops at the first failed query (the catalog's first) and names it.
        var firstQuery = QueryCatalog.All[0].Name;
        FaultRun.SummaryLine(run1, beta).ShouldStartWith(
            $"cluster {beta}: FAILED: query {firstQuery} for cluster {beta}: {reason} after {attempts} attempt", Case.Sensitive, run1.ToString());
        thanos.FaultedFor(beta).Count.ShouldBe(attempts, run1.ToString());
        thanos.FaultedFor(beta).ShouldAllBe(r => FaultInjectingThanos.SameCall(r, thanos.FaultedFor(beta)[0]));
        FaultRun.AssertNoSecrets(run1, token);
        foreach (var other in new[] { ids["alpha"], ids["gamma"] })
        {
            FaultRun.SummaryLine(run1, other).ShouldBe($"cluster {other}: delivered", run1.ToString());
        }

        var announced1 = await AnnouncementLog.ReadAsync(prefix, ct);
        announced1.Select(a => a.Key).Order().ShouldBe(new[] { ids["alpha"], ids["gamma"] }.Order(), run1.ToString());
        foreach (var message in announced1)
        {
            await FaultRun.AssertDeliverableAsync(message, message.Key, ct);
        }

        var snapshots1 = await FaultRun.SnapshotsAsync(db, ct);
        snapshots1.ShouldNotContain(s => s.Cluster == beta, "a collection failure leaves no snapshot");
        snapshots1.Select(s => (s.Cluster, s.State)).Order().ShouldBe([.. new[] { ids["alpha"], ids["gamma"] }.Order().Select(c => (c, "published"))]);
        var betaDay = (await FaultRun.DaysAsync(db, ct)).Where(d => d.Cluster == beta).ShouldHaveSingleItem();
        betaDay.FailedAttempts.ShouldBe(1);
        betaDay.LastError!.ShouldContain($"query {firstQuery} for cluster {beta}: {reason}");
        betaDay.LastError!.ShouldNotContain(token);

        // The fault is gone: beta is delivered, alpha and gamma have nothing new.
        thanos.Heal();
        var run2 = await FaultRun.OnceAsync(env, ct);

        run2.ExitCode.ShouldBe(0, run2.ToString());
        FaultRun.SummaryLine(run2, beta).ShouldBe($"cluster {beta}: delivered", run2.ToString());
        FaultRun.SummaryLine(run2, ids["alpha"]).ShouldBe($"cluster {ids["alpha"]}: up to date", run2.ToString());
        FaultRun.SummaryLine(run2, ids["gamma"]).ShouldBe($"cluster {ids["gamma"]}: up to date", run2.ToString());
        var announced2 = await AnnouncementLog.ReadAsync(prefix, ct);
        announced2.Count(a => a.Key == beta).ShouldBe(1, "beta announced exactly once across both runs");
        announced2.Except(announced1).ShouldHaveSingleItem().Key.ShouldBe(beta, "alpha and gamma are not announced again");
        await FaultRun.AssertDeliverableAsync(announced2.Single(a => a.Key == beta), beta, ct);

        var snapshots2 = await FaultRun.SnapshotsAsync(db, ct);
        snapshots2.Count.ShouldBe(3);
        snapshots2.ShouldAllBe(s => s.State == "published");
        snapshots2.Single(s => s.Cluster == beta).Uuid.ToString("N").ShouldBe(announced2.Single(a => a.Key == beta).RequestId);
        (await FaultRun.DaysAsync(db, ct)).Single(d => d.Cluster == beta).FailedAttempts.ShouldBe(0, "a publish clears the day's failures");
    }

    [Fact]
    public async Task Once_TransientThanosFaults_AreRetried_AndEveryClusterIsDeliveredInTheSameRun()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await KokuTestDatabase.CreateAsync(ct);
        await using var thanos = await FaultInjectingThanos.StartAsync(ct);
        var env = FaultRun.Environment(db, thanos, out var token);
        var ids = FaultRun.Ids;
        // One transient fault per cluster, each only once: 503, 429 (with Retry-After) and a body cut mid-JSON.
        thanos.Inject(ids["alpha"], ThanosFaults.ServiceUnavailable(), times: 1);
        thanos.Inject(ids["beta"], ThanosFaults.TooManyRequests(), times: 1);
        thanos.Inject(ids["gamma"], ThanosFaults.CutBody(), times: 1);

        var run = await FaultRun.OnceAsync(env, ct);

        run.ExitCode.ShouldBe(0, run.ToString());
        FaultRun.AssertNoSecrets(run, token);
        foreach (var id in ids.Values)
        {
            FaultRun.SummaryLine(run, id).ShouldBe($"cluster {id}: delivered", run.ToString());
            var faulted = thanos.FaultedFor(id).ShouldHaveSingleItem();
            var queries = thanos.QueriesFor(id);
            var at = queries.ToList().IndexOf(faulted);
            at.ShouldBeGreaterThanOrEqualTo(0);
            queries.Skip(at + 1).Count(q => FaultInjectingThanos.SameCall(q, faulted)).ShouldBe(1, $"the faulted call of cluster {id} was retried once");
        }

        var announced = await AnnouncementLog.ReadAsync(env["THANOS_BRIDGE_S3_PREFIX"], ct);
        announced.Select(a => a.Key).Order().ShouldBe(ids.Values.Order(), "one announcement per cluster");
        foreach (var message in announced)
        {
            await FaultRun.AssertDeliverableAsync(message, message.Key, ct);
        }

        (await FaultRun.SnapshotsAsync(db, ct)).ShouldAllBe(s => s.State == "published" && s.Attempts == 0);
        (await FaultRun.DaysAsync(db, ct)).ShouldAllBe(d => d.FailedAttempts == 0, "a retried query is not a failure of the day");
    }
}
