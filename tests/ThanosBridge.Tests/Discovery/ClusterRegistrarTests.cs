using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using ThanosBridge.Core.Discovery;
using ThanosBridge.Core.Metrics;
using ThanosBridge.Telemetry;
using ThanosBridge.TestSupport.Logging;
using static ThanosBridge.TestSupport.Fakes.ManagedClusterRecords;

namespace ThanosBridge.Tests.Discovery;

/// <summary>A registration run: what it sends to koku, what it reports, logs and counts, and that failures stay its own.</summary>
public sealed class ClusterRegistrarTests : IDisposable
{
    private const string Org = "1234567";

    private readonly ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly PrometheusMeterAdapter exporter;
    private readonly BridgeMetrics metrics;
    private readonly FakeLogger<ClusterRegistrar> log = new();
    private readonly StubLister lister = new();
    private readonly StubInventory inventory = new();
    private readonly StubRegistrar koku = new();

    public ClusterRegistrarTests()
    {
        var factory = services.GetRequiredService<IMeterFactory>();
        exporter = new PrometheusMeterAdapter(factory);
        metrics = new BridgeMetrics(factory, "test");
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        exporter.Dispose();
        services.Dispose();
    }

    [Fact]
    public async Task RunAsync_RegistersWhatKokuLacks_AndOnlyThat()
    {
        lister.Clusters = [Cluster("new", "id-new"), Cluster("old", "id-old"), Cluster("local-cluster", "hub")];
        inventory.Sources = [new KokuOcpSource("id-old", 1, "old", Org, "thanos-bridge")];

        var report = await CreateSut().RunAsync(dryRun: false, Ct);

        koku.Calls.ShouldBe([("new", "id-new")]);
        report.Succeeded.ShouldBeTrue();
        report.Clusters.Select(c => (c.Name, c.Result)).ShouldBe(
            [("local-cluster", RegistrationResult.Skipped), ("new", RegistrationResult.Registered), ("old", RegistrationResult.AlreadyRegistered)]);
        report.Clusters.Single(c => c.Name == "new").Detail.ShouldBe("koku source 7 in org 1234567");
        log.Messages(1201).ShouldBe(["registered ManagedCluster new (cluster id-new) in koku as source 7 of org 1234567"]);
        log.Entries().Single(e => e.EventId == 1203).Message.ShouldStartWith("ManagedCluster local-cluster is not registered in koku (local_cluster): ");
        log.Messages(1207).Single().ShouldBe("cluster registration finished: 1 registered, 1 already in koku, 1 skipped, 0 failed, 0 disappeared (dry run: False)");
        var exported = await exporter.CollectAsync(Ct);
        exported.ShouldContain("thanos_bridge_cluster_registrations_total{result=\"registered\"} 1");
        exported.ShouldContain("thanos_bridge_managed_clusters_skipped{reason=\"local_cluster\"} 1");
        exported.ShouldContain("thanos_bridge_cluster_registration_failures_total{reason=\"koku_forbidden\"} 0");
    }

    [Fact]
    public async Task RunAsync_DryRun_SendsNothing_AndSaysWhatItWouldRegister()
    {
        lister.Clusters = [Cluster("new", "id-new")];

        var report = await CreateSut().RunAsync(dryRun: true, Ct);

        koku.Calls.ShouldBeEmpty();
        report.DryRun.ShouldBeTrue();
        report.Clusters.Single().Result.ShouldBe(RegistrationResult.WouldRegister);
        log.Messages(1208).ShouldBe(["dry run: would register ManagedCluster new (cluster id-new) in koku org 1234567"]);
        (await exporter.CollectAsync(Ct)).ShouldContain("thanos_bridge_cluster_registrations_total{result=\"registered\"} 0");
    }

    [Fact]
    public async Task RunAsync_WithoutAnExplicitFlag_FollowsTheDryRunSetting()
    {
        lister.Clusters = [Cluster("new", "id-new")];

        var report = await CreateSut(new RegistrationOptions(Org, "thanos-bridge", DryRun: true)).RunAsync(dryRun: null, Ct);

        report.DryRun.ShouldBeTrue();
        koku.Calls.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(RegistrationFailureReasons.KokuForbidden)]
    [InlineData(RegistrationFailureReasons.KokuUnavailable)]
    [InlineData(RegistrationFailureReasons.KokuRejected)]
    public async Task RunAsync_KokuRefusesOne_ReportsItFailed_CountsTheReason_AndGoesOnWithTheNext(string reason)
    {
        lister.Clusters = [Cluster("a", "id-a"), Cluster("b", "id-b")];
        koku.Answer = (name, _) => name == "a"
            ? new SourceRegistrationResult(SourceRegistrationStatus.Failed, reason, "POST … answered 4xx/5xx: why")
            : new SourceRegistrationResult(SourceRegistrationStatus.Created, null, "201", "8");

        var report = await CreateSut().RunAsync(dryRun: false, Ct);

        report.Succeeded.ShouldBeFalse();
        report.Clusters.Select(c => (c.Name, c.Result, c.Reason)).ShouldBe(
            [("a", RegistrationResult.Failed, reason), ("b", RegistrationResult.Registered, null)]);
        var failed = log.Entries().Single(e => e.EventId == 1204);
        failed.Level.ShouldBe(LogLevel.Error);
        failed.Message.ShouldBe($"registering ManagedCluster a (cluster id-a) in koku failed ({reason}): POST … answered 4xx/5xx: why; the next run tries again");
        (await exporter.CollectAsync(Ct)).ShouldContain($"thanos_bridge_cluster_registration_failures_total{{reason=\"{reason}\"}} 1");
    }

    [Fact]
    public async Task RunAsync_KokuAnswersDuplicate_IsAlreadyRegistered_NotAFailure()
    {
        lister.Clusters = [Cluster("raced", "id-r")];
        koku.Answer = (_, _) => new SourceRegistrationResult(SourceRegistrationStatus.AlreadyExists, null, "POST … answered 400: source.duplicate: …");

        var report = await CreateSut().RunAsync(dryRun: false, Ct);

        report.Succeeded.ShouldBeTrue();
        report.Clusters.Single().Result.ShouldBe(RegistrationResult.AlreadyRegistered);
        log.Messages(1209).Single().ShouldContain("counted as registered");
        var exported = await exporter.CollectAsync(Ct);
        exported.ShouldContain("thanos_bridge_cluster_registrations_total{result=\"already_registered\"} 1");
        exported.ShouldNotContain("thanos_bridge_cluster_registration_failures_total{reason=\"koku_rejected\"} 1");
    }

    [Theory]
    [InlineData(RegistrationFailureReasons.KubernetesForbidden)]
    [InlineData(RegistrationFailureReasons.KubernetesUnavailable)]
    public async Task RunAsync_ListingFails_ReportsAndCountsIt_WithoutCallingKoku(string reason)
    {
        lister.Failure = new RegistrationException(reason, "listing ManagedClusters (…) at http://api failed: 403 Forbidden: nope");

        var report = await CreateSut().RunAsync(dryRun: false, Ct);

        report.Succeeded.ShouldBeFalse();
        report.ErrorReason.ShouldBe(reason);
        report.Error.ShouldBe("listing ManagedClusters (…) at http://api failed: 403 Forbidden: nope");
        koku.Calls.ShouldBeEmpty();
        inventory.Reads.ShouldBe(0);
        log.Messages(1206).Single().ShouldStartWith($"cluster registration could not run ({reason}): listing ManagedClusters");
        (await exporter.CollectAsync(Ct)).ShouldContain($"thanos_bridge_cluster_registration_failures_total{{reason=\"{reason}\"}} 1");
    }

    [Fact]
    public async Task RunAsync_KokuDatabaseUnreadable_RegistersNothing()
    {
        lister.Clusters = [Cluster("new", "id-new")];
        inventory.Failure = new RegistrationException(RegistrationFailureReasons.KokuDatabaseUnavailable, "reading … failed: 57P01");

        var report = await CreateSut().RunAsync(dryRun: false, Ct);

        report.ErrorReason.ShouldBe(RegistrationFailureReasons.KokuDatabaseUnavailable);
        koku.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task RunAsync_OrgUnknown_SendsNothing_AndFailsEachWouldBeRegistration()
    {
        lister.Clusters = [Cluster("a", "id-a"), Cluster("b", "id-b")];
        inventory.OrgKnown = false;

        var report = await CreateSut().RunAsync(dryRun: false, Ct);

        koku.Calls.ShouldBeEmpty();
        report.Clusters.ShouldAllBe(c => c.Result == RegistrationResult.Failed && c.Reason == RegistrationFailureReasons.KokuOrgUnknown);
        (await exporter.CollectAsync(Ct)).ShouldContain("thanos_bridge_cluster_registration_failures_total{reason=\"koku_org_unknown\"} 2");
    }

    [Fact]
    public async Task RunAsync_OurSourceWithoutManagedCluster_IsReportedDisappeared_NeverDeleted()
    {
        lister.Clusters = [Cluster("kept", "id-kept")];
        inventory.Sources = [new KokuOcpSource("id-kept", 1, "kept", Org, "thanos-bridge"), new KokuOcpSource("id-gone", 2, "gone", Org, "thanos-bridge")];

        var report = await CreateSut().RunAsync(dryRun: false, Ct);

        report.Disappeared.Select(d => d.ClusterId).ShouldBe(["id-gone"]);
        koku.Calls.ShouldBeEmpty();
        var warning = log.Entries().Single(e => e.EventId == 1205);
        warning.Level.ShouldBe(LogLevel.Warning);
        warning.Message.ShouldStartWith("cluster id-gone (koku source 2, gone) was registered by the bridge but no ManagedCluster claims it any more");
        (await exporter.CollectAsync(Ct)).ShouldContain("thanos_bridge_managed_clusters_disappeared 1");
    }

    [Fact]
    public async Task RunAsync_SkipGauge_ReflectsTheLastRunOnly()
    {
        lister.Clusters = [Cluster("x", null), Cluster("y", "id-y", available: "Unknown")];
        var sut = CreateSut();
        await sut.RunAsync(dryRun: false, Ct);
        (await exporter.CollectAsync(Ct)).ShouldContain("thanos_bridge_managed_clusters_skipped{reason=\"no_cluster_id\"} 1");

        lister.Clusters = [Cluster("y", "id-y")];
        await sut.RunAsync(dryRun: false, Ct);

        var exported = await exporter.CollectAsync(Ct);
        exported.ShouldContain("thanos_bridge_managed_clusters_skipped{reason=\"no_cluster_id\"} 0");
        exported.ShouldContain("thanos_bridge_managed_clusters_skipped{reason=\"not_available\"} 0");
    }

    private ClusterRegistrar CreateSut(RegistrationOptions? options = null) =>
        new(lister, inventory, koku, options ?? new RegistrationOptions(Org, "thanos-bridge"), metrics, log);

    private sealed class StubLister : IManagedClusterLister
    {
        public IReadOnlyList<ManagedCluster> Clusters { get; set; } = [];

        public RegistrationException? Failure { get; set; }

        public Task<IReadOnlyList<ManagedCluster>> ListAsync(CancellationToken cancellationToken) =>
            Failure is null ? Task.FromResult(Clusters) : Task.FromException<IReadOnlyList<ManagedCluster>>(Failure);
    }

    private sealed class StubInventory : IKokuSourceInventory
    {
        public IReadOnlyList<KokuOcpSource> Sources { get; set; } = [];

        public bool OrgKnown { get; set; } = true;

        public RegistrationException? Failure { get; set; }

        public int Reads { get; private set; }

        public Task<KokuSourceInventory> ReadAsync(string orgId, CancellationToken cancellationToken)
        {
            Reads++;
            return Failure is null ? Task.FromResult(new KokuSourceInventory(Sources, OrgKnown)) : Task.FromException<KokuSourceInventory>(Failure);
        }
    }

    private sealed class StubRegistrar : IKokuSourceRegistrar
    {
        public List<(string Name, string ClusterId)> Calls { get; } = [];

        public Func<string, string, SourceRegistrationResult> Answer { get; set; } =
            (_, _) => new SourceRegistrationResult(SourceRegistrationStatus.Created, null, "POST … answered 201 Created", "7");

        public Task<SourceRegistrationResult> RegisterAsync(string name, string clusterId, CancellationToken cancellationToken)
        {
            Calls.Add((name, clusterId));
            return Task.FromResult(Answer(name, clusterId));
        }
    }
}
