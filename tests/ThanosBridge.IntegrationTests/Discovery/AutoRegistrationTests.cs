using System.Text;
using System.Text.Json;
using ThanosBridge.IntegrationTests.Faults;
using ThanosBridge.TestSupport.Bridge;
using ThanosBridge.TestSupport.Fakes;

namespace ThanosBridge.IntegrationTests.Discovery;

/// <summary>
/// Auto-registration end to end: a ManagedCluster on the (fake) hub API server that koku does not know is registered
/// through the (fake) koku sources API, which writes the rows koku writes into a fresh copy of koku's tables; the same
/// run's discovery finds the cluster and delivers its payload through the real S3 and Kafka, from the demo Prometheus.
/// </summary>
public class AutoRegistrationTests
{
    private const string Org = "1234567";

    [Fact]
    public async Task Once_RegistersANewManagedCluster_AndDeliversItInTheSameRun_AndTheNextRunLeavesItAlone()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await KokuTestDatabase.CreateAsync(ct);
        using var kube = FakeKubernetesApi.Start();
        using var koku = FakeKokuApi.Start(db);
        var eta = FaultRun.Id("eta-unregistered");
        var alpha = FaultRun.Id("alpha");
        kube.Add(
            ManagedClusterObjects.Create("eta-unregistered", eta),
            ManagedClusterObjects.Create("alpha", alpha),
            ManagedClusterObjects.LocalCluster("8c1a4f7e-0d2b-4e3c-9a5f-6b7c8d9e0f11"),
            ManagedClusterObjects.Create("theta-offline", "5e4d3c2b-1a09-4f8e-8d7c-6b5a49382716", available: "Unknown"));
        var env = Registering(FaultRun.Environment(db, thanos: null, out _), kube, koku);
        env["THANOS_BRIDGE_KOKU_ACCOUNT"] = "10001";
        env["THANOS_BRIDGE_KUBERNETES_TOKEN"] = "kube-token-" + Guid.NewGuid().ToString("N");

        // The dry run lists what it would do and sends nothing; eta is still a cluster without a koku source.
        var dryRun = await BridgeProcess.RunAsync(env, ["clusters", "--register", "--dry-run"], ct, TimeSpan.FromSeconds(60));
        dryRun.ExitCode.ShouldBe(0, dryRun.ToString());
        koku.Requests.ShouldBeEmpty(dryRun.ToString());
        dryRun.Stdout.ShouldContain(Line("would register", $"eta-unregistered  cluster {eta}: dry run: would register it in org {Org}"));
        dryRun.Stdout.ShouldContain(Line("in koku", $"alpha  cluster {alpha}: koku source 1 (alpha) has cluster id {alpha}"));
        dryRun.Stdout.ShouldContain(Line("not registered", "local-cluster  cluster 8c1a4f7e-0d2b-4e3c-9a5f-6b7c8d9e0f11 (local_cluster): the hub itself"));
        dryRun.Stdout.ShouldContain(Line("not registered", "theta-offline  cluster 5e4d3c2b-1a09-4f8e-8d7c-6b5a49382716 (not_available): ManagedClusterConditionAvailable is Unknown"));
        dryRun.Stdout.ShouldContain($"unregistered  {eta}  sends metrics to Thanos but has no koku source");
        kube.Requests.ShouldAllBe(r => r.Request.Header("Authorization") == "Bearer " + env["THANOS_BRIDGE_KUBERNETES_TOKEN"]);

        // The run registers eta first; its discovery then sees the new source and delivers it with the others.
        var run = await FaultRun.OnceAsync(env, ct, TimeSpan.FromSeconds(120));
        run.ExitCode.ShouldBe(0, run.ToString());
        FaultRun.AssertNoSecrets(run, env["THANOS_BRIDGE_KUBERNETES_TOKEN"]);
        var created = koku.Created.ShouldHaveSingleItem();
        created.Name.ShouldBe("eta-unregistered");
        created.ClusterId.ShouldBe(eta);
        run.Stdout.ShouldContain(Line("registered", $"eta-unregistered  cluster {eta}: koku source {created.SourceId} in org {Org}"));
        run.Stdout.ShouldContain("0 sending metrics without a koku source", Case.Sensitive, "the unregistered count (and its alert) drops in the run that registers");
        FaultRun.SummaryLine(run, eta).ShouldContain("delivered");

        // koku's tables hold the source as koku's API creates it: the identity, the listener's exact credentials, the org.
        var rows = await db.QueryAsync(
            """
            SELECT s.source_id, s.name, s.org_id, s.account_id, s.auth_header, a.credentials::text, p.type, p.active, c.org_id
            FROM public.api_sources s
            JOIN public.api_provider p ON p.uuid = s.provider_id
            JOIN public.api_providerauthentication a ON a.id = p.authentication_id
            JOIN public.api_customer c ON c.id = p.customer_id
            WHERE s.name = 'eta-unregistered'
            """,
            r => (Id: r.GetInt32(0), Name: r.GetString(1), Org: r.GetString(2), Account: r.GetString(3), Header: r.GetString(4),
                Credentials: r.GetString(5), Type: r.GetString(6), Active: r.GetBoolean(7), Customer: r.GetString(8)),
            ct);
        var row = rows.ShouldHaveSingleItem();
        row.Id.ShouldBe(7, "source_id = max + 1 over the six seeded sources");
        (row.Org, row.Account, row.Type, row.Active, row.Customer).ShouldBe((Org, "10001", "OCP", true, Org));
        JsonDocument.Parse(row.Credentials).RootElement.GetProperty("cluster_id").GetString().ShouldBe(eta);
        using (var identity = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(row.Header))))
        {
            identity.RootElement.GetProperty("identity").GetProperty("user").GetProperty("username").GetString().ShouldBe("thanos-bridge");
        }

        // Delivered like any registered cluster: a payload koku accepts, announced for eta, recorded as published.
        var announced = (await AnnouncementLog.ReadAsync(env["THANOS_BRIDGE_S3_PREFIX"], ct)).Where(m => m.Key == eta).ToList();
        announced.ShouldNotBeEmpty(run.ToString());
        foreach (var message in announced)
        {
            await FaultRun.AssertDeliverableAsync(message, eta, ct);
            using var value = JsonDocument.Parse(message.Raw);
            value.RootElement.GetProperty("org_id").GetString().ShouldBe(Org);
        }

        (await FaultRun.SnapshotsAsync(db, ct)).Where(s => s.Cluster == eta).ShouldAllBe(s => s.State == "published");

        // The next run finds the source in koku's tables and sends nothing to koku's API.
        var again = await FaultRun.OnceAsync(env, ct, TimeSpan.FromSeconds(120));
        again.ExitCode.ShouldBe(0, again.ToString());
        koku.Requests.Count.ShouldBe(1, again.ToString());
        again.Stdout.ShouldContain(Line("in koku", $"eta-unregistered  cluster {eta}: koku source {created.SourceId} (eta-unregistered) has cluster id {eta}"));

        // A registered ManagedCluster that disappears from the hub is reported, never deleted.
        kube.Remove("eta-unregistered");
        var gone = await BridgeProcess.RunAsync(env, ["clusters", "--register"], ct, TimeSpan.FromSeconds(60));
        gone.ExitCode.ShouldBe(0, gone.ToString());
        gone.Stdout.ShouldContain(Line("disappeared", $"cluster {eta}  koku source {created.SourceId} (eta-unregistered): no ManagedCluster claims it any more; kept in koku"));
        gone.Stdout.ShouldContain($"deliver  {eta}  org {Org}");
        koku.Requests.Count.ShouldBe(1);
        koku.Requests.ShouldAllBe(r => r.Request.Method == "POST");
    }

    [Fact]
    public async Task Serve_RegistersAtTheStartOfItsRun_BeforeDelivery_AndTheUnregisteredGaugeDropsToZero()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await KokuTestDatabase.CreateAsync(ct);
        using var kube = FakeKubernetesApi.Start();
        using var koku = FakeKokuApi.Start(db);
        var eta = FaultRun.Id("eta-unregistered");
        kube.Add(ManagedClusterObjects.Create("eta-unregistered", eta), ManagedClusterObjects.LocalCluster("8c1a4f7e-0d2b-4e3c-9a5f-6b7c8d9e0f11"));
        var env = Registering(BridgeProcess.StackEnvironmentFor(db), kube, koku);
        env["THANOS_BRIDGE_BACKFILL_DAYS"] = "1";
        await using var server = BridgeServer.Start(env);
        using var http = new HttpClient();

        // The run at start-up: registration, then discovery and delivery of every cluster, eta among them.
        await server.WaitUntilAsync(async () => (await http.GetStringAsync(server.MetricsUrl, ct)).Contains("thanos_bridge_runs_total{result=\"success\"} 1", StringComparison.Ordinal),
            "a successful run", TimeSpan.FromSeconds(120), ct);
        var metrics = await http.GetStringAsync(server.MetricsUrl, ct);

        koku.Created.ShouldHaveSingleItem().ClusterId.ShouldBe(eta);
        metrics.ShouldContain("thanos_bridge_cluster_registrations_total{result=\"registered\"} 1");
        metrics.ShouldContain("thanos_bridge_cluster_registration_failures_total{reason=\"koku_forbidden\"} 0");
        metrics.ShouldContain("thanos_bridge_managed_clusters_skipped{reason=\"local_cluster\"} 1");
        metrics.ShouldContain("thanos_bridge_managed_clusters_disappeared 0");
        metrics.ShouldContain("thanos_bridge_clusters_unregistered 0", Case.Sensitive, "ThanosBridgeUnregisteredClusters reads this gauge");
        metrics.ShouldContain($"thanos_bridge_cluster_last_delivered_hour_timestamp_seconds{{cluster_id=\"{eta}\"}}");
        (await FaultRun.SnapshotsAsync(db, ct)).Where(s => s.Cluster == eta).ShouldNotBeEmpty();
        var registered = server.Output.IndexOf("\"EventId\":{\"Id\":1201,\"Name\":\"ClusterRegistered\"}", StringComparison.Ordinal);
        var discovered = server.Output.IndexOf("\"ClusterCount\":4,\"SkippedCount\":3,", StringComparison.Ordinal);
        registered.ShouldBeGreaterThan(-1, server.Output);
        discovered.ShouldBeGreaterThan(-1, "discovery (event 1001) finds the three seeded clusters and eta\n" + server.Output);
        registered.ShouldBeLessThan(discovered, "registration runs before discovery\n" + server.Output);

        await server.TerminateAsync(TimeSpan.FromSeconds(30), ct);
        server.ExitCode.ShouldBe(0, server.Output);
    }

    /// <summary><paramref name="env"/> with auto-registration on, against the fake API server and the fake koku, in org <see cref="Org"/>.</summary>
    private static Dictionary<string, string> Registering(Dictionary<string, string> env, FakeKubernetesApi kube, FakeKokuApi koku)
    {
        env["THANOS_BRIDGE_AUTO_REGISTER"] = "true";
        env["THANOS_BRIDGE_KOKU_API_URL"] = koku.BaseUrl.ToString();
        env["THANOS_BRIDGE_KOKU_ORG_ID"] = Org;
        env["THANOS_BRIDGE_KUBERNETES_API_URL"] = kube.BaseUrl.ToString();
        return env;
    }

    /// <summary>A line of the registration report as the commands print it: the outcome padded to 15 characters, then the rest.</summary>
    private static string Line(string outcome, string rest) => $"{outcome,-15} {rest}";

    [Fact]
    public async Task Once_KokuForbidsRegistration_DeliversTheRegisteredClustersAnyway_AndFailsOnlyTheRegistration()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await KokuTestDatabase.CreateAsync(ct);
        using var kube = FakeKubernetesApi.Start();
        using var koku = FakeKokuApi.Start(db);
        koku.Mode = FakeKokuMode.Forbidden;
        var eta = FaultRun.Id("eta-unregistered");
        kube.Add(ManagedClusterObjects.Create("eta-unregistered", eta));
        var env = Registering(FaultRun.Environment(db, thanos: null, out _), kube, koku);

        var run = await FaultRun.OnceAsync(env, ct, TimeSpan.FromSeconds(120));

        run.ExitCode.ShouldBe(0, "a failed registration does not fail delivery\n" + run);
        run.Stdout.ShouldContain(Line("failed", $"eta-unregistered  cluster {eta} (koku_forbidden): POST {koku.BaseUrl}api/cost-management/v1/sources/ answered 403 Forbidden"));
        run.Stdout.ShouldContain($"unregistered {eta}: sends metrics, not registered in koku");
        foreach (var id in FaultRun.Ids.Values)
        {
            FaultRun.SummaryLine(run, id).ShouldContain("delivered");
        }

        var rows = await db.QueryAsync("SELECT count(*) FROM public.api_sources WHERE name = 'eta-unregistered'", r => r.GetInt64(0), ct);
        rows.ShouldBe([0L]);
    }
}
